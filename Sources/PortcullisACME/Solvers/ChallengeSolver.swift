/// Publishes the proof for one challenge type (certmagic's Solver). The contract:
/// - `present` MUST make the proof visible to the CA before returning (the CA is told right after).
/// - `cleanUp` MUST remove everything `present` published since the last `cleanUp`; it SHOULD NOT
///   throw (failures are logged), and runs only once every authorization of the order is final,
///   because wildcard and apex share one `_acme-challenge` TXT name.
protocol ChallengeSolver: AnyObject {
    /// The challenge type this solver answers (`http-01`, `dns-01`).
    var type: String { get }
    /// Publishes `keyAuthorization` for `identifier` and `token`.
    func present(identifier: String, token: String, keyAuthorization: String) throws
    /// Withdraws everything presented.
    func cleanUp()
}
