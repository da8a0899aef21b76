import Glibc
import Logging

/// The process's open-file limit (RLIMIT_NOFILE), raised at start and on reload toward what
/// `max_connections` needs: two descriptors per connection (client and upstream) plus a margin for
/// listeners, event loops, pooled upstream connections, log and certificate files.
enum FileLimit {
    /// Descriptors kept aside beyond two per connection.
    static let margin = 256

    /// The soft limit `maxConnections` needs.
    static func needed(maxConnections: Int) -> Int { 2 * maxConnections + Self.margin }

    /// Raises the soft limit to `needed(maxConnections:)` if it is lower, as far as the hard limit
    /// allows; warns when the hard limit is too low (connections beyond it fail to be accepted, and the
    /// listeners then pause briefly instead of spinning). Returns the soft limit now in force.
    @discardableResult
    static func raise(maxConnections: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        let needed = rlim_t(Self.needed(maxConnections: maxConnections))
        if limit.rlim_cur < needed, limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                logger.info("raised the open-file limit", metadata: ["from": "\(limit.rlim_cur)", "to": "\(raised.rlim_cur)"])
                limit = raised
            }
        }
        if limit.rlim_cur < needed {
            let fits = max(0, (Int(limit.rlim_cur) - Self.margin) / 2)
            logger.warning(
                "open-file limit is below what max_connections needs; raise the hard limit (ulimit -Hn, LimitNOFILE=)",
                metadata: [
                    "limit": "\(limit.rlim_cur)", "hard_limit": "\(limit.rlim_max)", "needed": "\(needed)",
                    "max_connections": "\(maxConnections)", "connections_that_fit": "\(fits)",
                ])
        }
        return Int(limit.rlim_cur)
    }
}
