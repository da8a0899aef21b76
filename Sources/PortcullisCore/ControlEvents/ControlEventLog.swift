import Synchronization

/// One control-plane event (import, swap, rollback, reload, expiry warning, ACME step, failure), as the
/// admin API's `GET /api/v1/events` returns it. `time` is seconds since the Unix epoch.
public struct ControlEvent: Sendable, Equatable {
    /// What happened; the raw value is the API's `kind` string.
    public enum Kind: String, Sendable, CaseIterable {
        case importCertificate = "import"
        case swap
        case rollback
        case delete
        case reload
        case expiryWarning = "expiry_warning"
        case acme
        case failure
    }

    public let seq: UInt64
    public let time: Double
    public let kind: Kind
    public let name: String
    public let message: String
}

/// A bounded ring of the latest control-plane events (1,000 by default). Written by the control plane,
/// read by the admin API; never touched by workers, so a lock is fine here.
public final class ControlEventLog: Sendable {
    private struct Ring {
        var events: [ControlEvent] = []
        var next: UInt64 = 1
        /// Events ever recorded, by kind (not bounded by the ring; for counters such as
        /// `portcullis_expiry_warnings_total`).
        var totals: [ControlEvent.Kind: Int] = [:]
    }

    public let capacity: Int
    private let ring = Mutex(Ring())

    /// A ring that keeps the latest `capacity` events.
    public init(capacity: Int = 1000) { self.capacity = max(1, capacity) }

    /// Appends an event stamped with `now` and returns its sequence number; the oldest falls out when full.
    @discardableResult
    public func record(_ kind: ControlEvent.Kind, name: String, message: String, now: Double) -> UInt64 {
        self.ring.withLock { ring in
            let event = ControlEvent(seq: ring.next, time: now, kind: kind, name: name, message: message)
            ring.next += 1
            ring.totals[kind, default: 0] += 1
            if ring.events.count == self.capacity { ring.events.removeFirst() }
            ring.events.append(event)
            return event.seq
        }
    }

    /// The sequence number of the latest event (0 before the first): it changes with every event.
    public var latestSequence: UInt64 { self.ring.withLock { $0.next - 1 } }

    /// How many events of `kind` were ever recorded.
    public func total(_ kind: ControlEvent.Kind) -> Int {
        self.ring.withLock { $0.totals[kind] ?? 0 }
    }

    /// Events with `seq > after`, oldest first.
    public func events(after: UInt64 = 0) -> [ControlEvent] {
        self.ring.withLock { ring in ring.events.filter { $0.seq > after } }
    }
}
