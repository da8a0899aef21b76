/// Where the running proxy answers HTTP-01 from: the ACME client publishes each token's key
/// authorization here before telling the CA, and withdraws it when the order is over. The server
/// adapts its data plane's challenge store to this; ACME knows nothing about HTTP serving.
public protocol ChallengePublisher: AnyObject, Sendable {
    /// Makes `keyAuthorization` the answer to `GET /.well-known/acme-challenge/<token>`.
    func publish(token: String, keyAuthorization: String)
    /// Stops answering for `token`.
    func withdraw(token: String)
}
