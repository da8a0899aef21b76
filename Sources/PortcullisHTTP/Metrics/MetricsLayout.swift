/// Where each counter lives in a worker's flat array of cells. Fixed when the workers start: one block
/// per listener and one per site slot (`DataPlaneMetrics.siteSlot`).
public struct MetricsLayout: Sendable {
    /// Per listener: handshakes ok / failed / resumed, connections opened / closed.
    public enum ListenerCell: Int, CaseIterable, Sendable {
        case handshakeOK, handshakeFailed, handshakeResumed, opened, closed
    }

    /// Upstream failure kinds, the `kind` label of `portcullis_upstream_errors_total`.
    public enum UpstreamError: Int, CaseIterable, Sendable {
        case connect, timeout, reset
        /// The label value.
        public var label: String { ["connect", "timeout", "reset"][self.rawValue] }
    }

    /// Status codes counted one by one; any other code counts as its class (`2xx`, …).
    public static let codes: [Int] = [
        100, 101, 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 408, 409, 411,
        413, 414, 415, 421, 426, 429, 431, 500, 501, 502, 503, 504, 505,
    ]
    /// Label of each code slot: the listed codes, then `1xx` … `5xx`.
    public static let codeLabels: [String] = codes.map(String.init) + ["1xx", "2xx", "3xx", "4xx", "5xx"]
    /// Upper bounds of `portcullis_http_request_duration_seconds` buckets (+Inf is the last cell).
    public static let durationBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Status code → code slot, for 0..<600 (a table, so the hot path does one load).
    static let codeSlot: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 600)
        for code in 0..<600 {
            let classSlot = codes.count + max(0, min(4, code / 100 - 1))
            table[code] = UInt8(codes.firstIndex(of: code) ?? classSlot)
        }
        return table
    }()

    public let listeners: Int
    public let siteSlots: Int
    /// Cells per site: code slots, duration buckets (+Inf included), sum in microseconds, upstream errors.
    static let perSite = codeLabels.count + durationBounds.count + 1 + 1 + UpstreamError.allCases.count
    static let perListener = ListenerCell.allCases.count

    /// A layout for `listeners` listeners and `siteSlots` site slots.
    public init(listeners: Int, siteSlots: Int) {
        self.listeners = max(1, listeners)
        self.siteSlots = max(2, siteSlots)
    }

    /// Total cells per worker: listener blocks, site blocks, then one cell per `WorkerCell`.
    var cellCount: Int { self.listeners * Self.perListener + self.siteSlots * Self.perSite + WorkerCell.allCases.count }

    /// Per worker, not per listener or site.
    public enum WorkerCell: Int, CaseIterable, Sendable {
        /// Access log lines dropped because the destination was not accepting writes.
        case accessLogDropped
    }

    /// The cell of `cell` (after every listener and site block).
    @inline(__always) func worker(_ cell: WorkerCell) -> Int {
        self.listeners * Self.perListener + self.siteSlots * Self.perSite + cell.rawValue
    }

    /// The cell of `cell` for listener `index`.
    @inline(__always) func listener(_ index: Int, _ cell: ListenerCell) -> Int {
        min(max(index, 0), self.listeners - 1) * Self.perListener + cell.rawValue
    }

    /// First cell of site slot `slot`.
    @inline(__always) func site(_ slot: Int) -> Int {
        self.listeners * Self.perListener + min(max(slot, 0), self.siteSlots - 1) * Self.perSite
    }

    /// Offsets inside a site block.
    static let bucketOffset = codeLabels.count
    static let sumOffset = bucketOffset + durationBounds.count + 1
    static let upstreamOffset = sumOffset + 1
}
