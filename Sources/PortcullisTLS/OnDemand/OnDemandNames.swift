internal import COpenSSL
import Glibc
import Synchronization

/// On-demand TLS at the first handshake (Caddy's on-demand, behind an `ask` endpoint). On a listener
/// with `on_demand = true`, a ClientHello for a name no site serves asks the control plane (through
/// `requester`) and is parked (`SSL_CLIENT_HELLO_RETRY`) while the name is pending; the control plane
/// ends the wait with `finish` once the certificate is in service or the name is refused. Handshakes
/// for known names read one relaxed atomic (the listener mask) and take no lock.
public final class OnDemandNames: Sendable {
    public static let shared = OnDemandNames()
    /// Names remembered at most (pending or refused); past it new names get the default certificate.
    public static let maxNames = 10_000

    private enum Entry {
        case pending
        case refused(until: Double)
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Pending names, readable without the lock (a served name only looks further when it is non-zero).
    private let pendingCount = Atomic<Int>(0)
    private let listenerMask = Atomic<UInt64>(0)
    private let timeoutBits = Atomic<UInt64>(10.0.bitPattern)
    private let requester = Mutex<(@Sendable (String) -> Void)?>(nil)

    init() {}

    /// The listeners (by config index, below 64) with `on_demand = true`, and how long a handshake waits.
    public func configure(listeners: [Int], timeout: Double) {
        self.listenerMask.store(listeners.filter { $0 < 64 }.reduce(0) { $0 | (1 << UInt64($1)) }, ordering: .relaxed)
        self.timeoutBits.store(timeout.bitPattern, ordering: .relaxed)
    }

    /// Who hears about a new name (runs on a worker: it must only hand the name over, e.g. `schedule`).
    public func setRequester(_ body: (@Sendable (String) -> Void)?) { self.requester.withLock { $0 = body } }

    /// Ends the wait for `name`: parked handshakes resume with what the snapshot now serves. A refused
    /// name is not asked again for `backoff` seconds (it gets the default certificate meanwhile).
    public func finish(_ name: String, refusedFor backoff: Double?) {
        self.entries.withLock { entries in
            let now = Self.now()
            if let backoff { entries[name] = .refused(until: now + backoff) } else { entries[name] = nil }
            // Expired refusals are dropped here, so the table holds only what still matters.
            entries = entries.filter { if case .refused(let until) = $0.value { until > now } else { true } }
            self.pendingCount.store(
                entries.values.filter { if case .pending = $0 { true } else { false } }.count, ordering: .relaxed)
        }
    }

    /// Whether `name` is waiting for its certificate.
    public func isPending(_ name: String) -> Bool {
        self.entries.withLock { if case .pending = $0[name] { true } else { false } }
    }

    /// Seconds a parked handshake waits before it completes with the default certificate.
    package var timeout: Double { Double(bitPattern: self.timeoutBits.load(ordering: .relaxed)) }

    package func isOnDemand(listener index: Int) -> Bool {
        index < 64 && self.listenerMask.load(ordering: .relaxed) & (1 << UInt64(index)) != 0
    }

    /// In the ClientHello callback of an on-demand listener: true to park the handshake. `known` says
    /// whether a site serves the name; an expired wait, an empty SNI or an IP literal never parks.
    package func shouldPark(_ ssl: OpaquePointer, serverName: UnsafeRawBufferPointer, known: Bool) -> Bool {
        // The usual case, a served name while nothing is pending: no lock, no allocation.
        if known, self.pendingCount.load(ordering: .relaxed) == 0 { return false }
        guard !serverName.isEmpty, !ParkedHandshake.hasExpired(ssl), !Self.isIPLiteral(serverName) else { return false }
        let name = String(decoding: serverName, as: UTF8.self)
        var isNew = false
        let park = self.entries.withLock { entries -> Bool in
            switch entries[name] {
            case .pending: return true
            case .refused(let until) where until > Self.now(): return false
            default:
                guard !known, entries.count < Self.maxNames else { return false }
                entries[name] = .pending
                self.pendingCount.add(1, ordering: .relaxed)
                isNew = true
                return true
            }
        }
        if isNew, let requester = self.requester.withLock({ $0 }) { requester(name) }
        return park
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// SNI must not carry IP literals (RFC 6066 §3), but clients do; they never trigger an order.
    private static func isIPLiteral(_ name: UnsafeRawBufferPointer) -> Bool {
        if name.contains(UInt8(ascii: ":")) { return true }
        return name.allSatisfy { $0 == UInt8(ascii: ".") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }
}
