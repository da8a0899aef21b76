internal import COpenSSL
internal import CShims

/// The front `SSL_CTX` of one TLS listener, shared by all worker threads. It has no certificate: its
/// ClientHello callback installs the certificate of the site chosen by SNI on each connection, and
/// switches it to the site's policy context only when that policy differs from the listener's
/// (`SiteSelector`).
/// As every connection's session context it owns the session cache and the ticket keys, so sessions and
/// tickets work across workers; per-site session-ID contexts keep them from crossing sites.
public final class FrontTLSContext: @unchecked Sendable {  // the SSL_CTX is configured in init only; SSL_new on it is thread-safe
    /// The owned `SSL_CTX*`.
    private let ctx: OpaquePointer
    /// The ClientHello handler (the context's ex_data holds its own reference).
    private let selector: SiteSelector

    /// Builds the front context for a listener whose default certificate is `defaultCertificateID`.
    /// - Parameter listenerIndex: the listener's position in the config; sites without a policy of their
    ///   own use their variant built for this listener's policy (`SiteTLSContext.listenerVariants`).
    public init(
        holder: any CertSnapshotSource, defaultCertificateID: Int?, policy: TLSPolicySettings, listenerIndex: Int = 0
    ) throws(TLSError) {
        OpenSSLRuntime.initialize()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw .draining("creating the front TLS context") }
        let selector: SiteSelector
        do throws(TLSError) {
            // The listener's policy, prepared like a site's: a site enforcing the same one needs no switch.
            let prepared = try PreparedPolicy(policy, configuring: ctx)
            selector = SiteSelector(
                holder: holder, defaultCertificateID: defaultCertificateID, listenerIndex: listenerIndex,
                listenerPolicy: prepared)
            try Self.configureSessions(ctx)
            try Self.installSelector(selector, in: ctx)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        self.ctx = ctx
        self.selector = selector
    }

    /// Whether a request for `host` (normalised: lower-case, no port, no trailing dot) may use this
    /// connection: a handshake with that SNI under `snapshot` (the one published with the routes in use)
    /// would have chosen the same certificate and enforced the same policy and client-CA trust. False
    /// means 421 (two sites sharing a certificate under different policies must not be crossed).
    package func handshake(
        _ ssl: OpaquePointer, enforcesHost host: UnsafeRawBufferPointer, in snapshot: CertSnapshot
    ) -> Bool {
        self.selector.enforcesSame(ssl, host: host, in: snapshot)
    }

    /// Whether `ssl`'s handshake served the site context of `certificateID` under that site's policy on
    /// this listener: a request routed to a default site must not bypass that site's handshake checks.
    package func handshake(_ ssl: OpaquePointer, enforcesSiteOf certificateID: Int, in snapshot: CertSnapshot) -> Bool {
        self.selector.enforcesSite(ssl, certificateID: certificateID, in: snapshot)
    }

    deinit { SSL_CTX_free(self.ctx) }

    /// A new server-side `SSL` for one accepted connection (nil when out of memory). The caller owns
    /// it; `bufferevent_openssl_socket_new(..., BUFFEREVENT_SSL_ACCEPTING, ...)` takes it over.
    package func makeServerSSL() -> OpaquePointer? {
        SSL_new(self.ctx)
    }

    /// Memory-saving buffers, the server session cache, and a session-ID context for the (never used)
    /// case of a handshake that selects no site.
    private static func configureSessions(_ ctx: OpaquePointer) throws(TLSError) {
        _ = pc_SSL_CTX_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS))
        // No read-ahead: bufferevent_openssl 2.1 does not look at SSL_pending() when a handshake
        // completes, so a request that arrived with the client's Finished would wait forever.
        // Resumption comes from stateless tickets (shared by all workers through this context). A
        // stateful cache would add a locked insert per handshake and a periodic O(n) flush (as
        // nginx's default `ssl_session_cache none`, sessions are not stored).
        _ = pc_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL))
        // Tickets are sealed with the process-wide rotating key ring, so every worker and listener can
        // open them and keys change on schedule.
        guard pc_SSL_CTX_set_ticket_key_cb(ctx, ticketKeyCallback) == 1 else {
            throw .draining("installing the session-ticket key callback")
        }
        let context: [UInt8] = Array("portcullis-front".utf8)
        guard SSL_CTX_set_session_id_context(ctx, context, UInt32(context.count)) == 1 else {
            throw .draining("setting the front session-ID context")
        }
    }

    /// Hands one retained reference of `selector` to the context and registers the ClientHello callback.
    private static func installSelector(_ selector: SiteSelector, in ctx: OpaquePointer) throws(TLSError) {
        let retained = Unmanaged.passRetained(selector)
        guard SSL_CTX_set_ex_data(ctx, SiteSelector.exDataIndex, retained.toOpaque()) == 1 else {
            retained.release()
            throw .draining("attaching the site selector to the front context")
        }
        SSL_CTX_set_client_hello_cb(ctx, clientHelloCallback, retained.toOpaque())
    }
}
