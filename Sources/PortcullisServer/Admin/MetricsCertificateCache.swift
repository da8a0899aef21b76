import Foundation
import PortcullisCertificates

/// The certificate part of `/metrics`, so a scrape does not read the store from disk every time. The
/// status table is rebuilt only when something that can change it happens: a commit (new generation),
/// any control-plane event (import, delete, ACME step or failure: they all record one), a UTC day
/// rolling over, or `now` crossing a row's next status boundary (its expiry warning or its expiry).
/// The seconds-left gauge is computed per scrape from the cached `notAfter`. Control thread only.
final class MetricsCertificateCache {
    /// One table row with its dates parsed.
    struct Row {
        let row: CertificateStatusRow
        let notBefore: Date?
        let notAfter: Date?
    }

    /// What the cached rows were built from.
    private struct Key: Equatable {
        var generation: Int
        var events: UInt64
        var day: Int
    }

    private var key: Key?
    private var rows: [Row] = []
    /// The first instant a cached row's status changes by time alone.
    private var validUntil = Date.distantPast
    /// How many times the table was built (tests and logs).
    private(set) var builds = 0

    /// The rows for `plane` at `now`, rebuilt only when stale.
    func rows(_ plane: ControlPlane, now: Date) -> [Row] {
        let key = Key(generation: plane.generation, events: plane.events.latestSequence, day: Int(now.timeIntervalSince1970 / 86_400))
        if key == self.key && now < self.validUntil { return self.rows }
        self.rows = plane.statusRows(now: now).rows.map { row in
            Row(row: row, notBefore: try? Date(row.notBefore, strategy: .iso8601), notAfter: try? Date(row.notAfter, strategy: .iso8601))
        }
        let window = Double(plane.config.tls.expiryWarningDays) * 86_400
        let boundaries = self.rows.compactMap(\.notAfter).flatMap { [$0.addingTimeInterval(-window), $0] }
        self.validUntil = boundaries.filter { $0 > now }.min() ?? .distantFuture
        self.key = key
        self.builds += 1
        return self.rows
    }
}
