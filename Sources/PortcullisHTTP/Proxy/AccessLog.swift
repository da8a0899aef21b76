import Glibc
import PortcullisCore

/// Where and how access log lines are written. Lines are formatted into a reused per-connection
/// buffer and written with one non-blocking `write(2)` (atomic for lines under PIPE_BUF); see
/// `AccessLogOutput` for what happens when the destination does not take them.
public struct AccessLogSink: Sendable {
    /// Line formats (see the README's access log section).
    public enum Format: Sendable { case common, combined, json }
    /// A descriptor the worker may write to without blocking: a file, or a pipe, FIFO or terminal
    /// opened with O_NONBLOCK (for `stdout`/`stderr`, a private reopening of the stream).
    public var fd: Int32
    public var format: Format
    /// The descriptor is a socket: written with `send(MSG_DONTWAIT)`, since its O_NONBLOCK flag would
    /// be shared with every other holder of the stream.
    public var isSocket: Bool
    public static let off = AccessLogSink(fd: -1, format: .combined)
    public init(fd: Int32, format: Format, isSocket: Bool = false) {
        self.fd = fd
        self.format = format
        self.isSocket = isSocket
    }
    public var isEnabled: Bool { self.fd >= 0 }
}

/// Fields of one request kept for its log line, copied out of the head before it is drained.
struct AccessLogRecord {
    var method: Range<Int> = 0..<0
    var target: Range<Int> = 0..<0
    var host: Range<Int> = 0..<0
    var userAgent: Range<Int> = 0..<0
    var referer: Range<Int> = 0..<0
    var versionMinor = 1
    var storage: [UInt8] = []
    var started: Double = 0
    var bytesSent = 0
    var status = 0

    /// Nothing is allocated until a request is logged, so idle connections stay small.
    init() {}

    /// Starts a record: copies the interesting spans of `head` into reused storage.
    mutating func begin(head: UnsafeRawBufferPointer, request: RequestHead, now: Double, enabled: Bool) {
        guard enabled else {
            self.started = now
            self.bytesSent = 0
            self.status = 0
            return
        }
        self.storage.removeAll(keepingCapacity: true)
        self.method = self.copy(head.span(request.method))
        self.target = self.copy(head.span(request.target))
        self.host = request.host.map { self.copy(head.span($0)) } ?? 0..<0
        self.userAgent = 0..<0
        self.referer = 0..<0
        for field in request.headers {
            let name = head.span(field.name)
            if name.count == 10, head.equalsASCIICaseInsensitive(field.name, "user-agent") {
                self.userAgent = self.copy(head.span(field.value))
            } else if name.count == 7, head.equalsASCIICaseInsensitive(field.name, "referer") {
                self.referer = self.copy(head.span(field.value))
            }
        }
        self.versionMinor = request.versionMinor
        self.started = now
        self.bytesSent = 0
        self.status = 0
    }

    /// Starts a record for a response sent before any head was parsed (timeouts, limits).
    mutating func begin(now: Double) {
        self.storage.removeAll(keepingCapacity: true)
        self.method = 0..<0
        self.target = 0..<0
        self.host = 0..<0
        self.userAgent = 0..<0
        self.referer = 0..<0
        self.started = now
        self.bytesSent = 0
        self.status = 0
    }

    private mutating func copy(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
        let start = self.storage.count
        self.storage.append(contentsOf: bytes.prefix(1024))
        return start..<self.storage.count
    }
}
