internal import COpenSSL
internal import CShims

/// A site's policy in the form the ClientHello callback applies to each connection after
/// `SSL_set_SSL_CTX`: strings copied to C once, options and verify mode read back from the site context.
/// Only versions, options, groups and verify mode need re-applying per `SSL` (they were copied from the
/// front context at `SSL_new`); the cipher lists are read through `SSL->ctx` and so follow the switch,
/// as long as nobody sets a list on the `SSL` itself.
final class PreparedPolicy: @unchecked Sendable {  // immutable after init; the C strings are only read
    let minVersion: Int32
    let maxVersion: Int32
    let options: UInt64
    let verifyMode: Int32
    let verifyCallback: SSL_verify_cb?
    /// `strdup`ed once; freed in deinit.
    private let groups: UnsafeMutablePointer<CChar>

    /// Configures `ctx` with `settings` and captures what the per-connection fix-up must re-apply.
    init(_ settings: TLSPolicySettings, configuring ctx: OpaquePointer) throws(TLSError) {
        try settings.configure(ctx)
        guard let groups = strdup(settings.groups) else { throw TLSError("copying the groups list: out of memory") }
        self.minVersion = settings.minVersion
        self.maxVersion = settings.maxVersion
        self.options = SSL_CTX_get_options(ctx)
        self.verifyMode = SSL_CTX_get_verify_mode(ctx)
        self.verifyCallback = SSL_CTX_get_verify_callback(ctx)
        self.groups = groups
    }

    deinit { free(self.groups) }

    /// Re-applies the site's versions, options, groups and verify mode to a connection that was just
    /// switched to the site's context. Returns false if OpenSSL refused a value.
    func apply(to ssl: OpaquePointer) -> Bool {
        guard pc_SSL_set_min_proto_version(ssl, self.minVersion) == 1,
            pc_SSL_set_max_proto_version(ssl, self.maxVersion) == 1
        else { return false }
        _ = SSL_clear_options(ssl, UInt64.max)
        _ = SSL_set_options(ssl, self.options)
        guard pc_SSL_set1_groups_list(ssl, self.groups) == 1 else { return false }
        SSL_set_verify(ssl, self.verifyMode, self.verifyCallback)
        return true
    }
}
