internal import COpenSSL

/// One `SSL_CTX` configured with a security policy and no certificate, shared by every site under that
/// policy (and client-CA bundle). A connection whose site's policy differs from its listener's is switched
/// to it (`SSL_set_SSL_CTX`, for the cipher lists, signature algorithms, DH parameters and verify store
/// read through `SSL->ctx`); the site's certificate is then installed on the connection itself.
/// Immutable; freed with the last reference (switched connections hold their own OpenSSL reference).
public final class PolicyContext: @unchecked Sendable {  // the SSL_CTX is configured in init only
    /// The owned `SSL_CTX*`.
    let ctx: OpaquePointer
    /// What the ClientHello callback re-applies to a connection switched here.
    let policy: PreparedPolicy

    /// A context enforcing `settings`; fails if OpenSSL refuses a value or the client CA file.
    public init(settings: TLSPolicySettings) throws(TLSError) {
        OpenSSLRuntime.initialize()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw .draining("creating a policy context") }
        do throws(TLSError) {
            self.policy = try PreparedPolicy(settings, configuring: ctx)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        self.ctx = ctx
    }

    /// Equal for two contexts enforcing the same settings and client-CA bundle (`PreparedPolicy.identity`).
    public var identity: Int { self.policy.identity }

    deinit { SSL_CTX_free(self.ctx) }
}
