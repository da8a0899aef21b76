internal import COpenSSL
internal import CShims
import Glibc

/// A site's policy in the form the ClientHello callback applies to each connection after
/// `SSL_set_SSL_CTX`: strings copied to C once, options and verify mode read back from the site context.
/// Versions, options, groups, verify mode, early data and the client CA list are re-applied per `SSL`
/// (they were copied from the front context at `SSL_new`). Cipher lists, signature algorithms, the
/// security level, DH parameters, certificates and the verify store follow the switch: they are read
/// through `SSL->ctx` or carried in the duplicated `CERT`, as long as nobody sets them on the `SSL`.
final class PreparedPolicy: @unchecked Sendable {  // immutable after init; the C strings are only read
    let minVersion: Int32
    let maxVersion: Int32
    let options: UInt64
    let verifyMode: Int32
    let verifyCallback: SSL_verify_cb?
    let maxEarlyData: UInt32
    /// The site context's client CA names (get0: owned by the context, which outlives this object);
    /// nil without mTLS.
    private let clientCANames: OpaquePointer?
    /// `strdup`ed once; freed in deinit.
    private let groups: UnsafeMutablePointer<CChar>
    /// Equal for two policies exactly when they enforce the same settings and trust the same client-CA
    /// bundle (by content, not path): a request may cross between sites only if it does not change.
    /// Stable within one process only.
    let identity: Int

    /// Configures `ctx` with `settings` and captures what the per-connection fix-up must re-apply.
    init(_ settings: TLSPolicySettings, configuring ctx: OpaquePointer) throws(TLSError) {
        try settings.configure(ctx)
        guard let groups = strdup(settings.groups) else { throw TLSError("copying the groups list: out of memory") }
        self.minVersion = settings.minVersion
        self.maxVersion = settings.maxVersion
        self.options = SSL_CTX_get_options(ctx)
        self.verifyMode = SSL_CTX_get_verify_mode(ctx)
        self.verifyCallback = SSL_CTX_get_verify_callback(ctx)
        self.maxEarlyData = settings.maxEarlyData
        self.clientCANames = settings.clientAuth == .none ? nil : SSL_CTX_get_client_CA_list(ctx)
        self.groups = groups
        self.identity = Self.identity(of: settings)
    }

    /// Hashes every setting plus the client-CA file's bytes (so replacing the CA changes the identity).
    private static func identity(of settings: TLSPolicySettings) -> Int {
        var hasher = Hasher()
        hasher.combine(String(describing: settings))
        if settings.clientAuth != .none, let path = settings.clientCAFile, let file = fopen(path, "rb") {
            defer { fclose(file) }
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = fread(&chunk, 1, chunk.count, file)
                guard count > 0 else { break }
                hasher.combine(bytes: UnsafeRawBufferPointer(start: chunk, count: count))
            }
        }
        return hasher.finalize()
    }

    deinit { free(self.groups) }

    /// Re-applies the site's versions, options, groups, verify mode, early data and client CA list to a
    /// connection that was just switched to the site's context. Returns false if OpenSSL refused a value.
    func apply(to ssl: OpaquePointer) -> Bool {
        self.apply(to: ssl, over: nil)
    }

    /// `apply(to:)`, skipping every value the connection already carries from `base` (the listener's
    /// policy, copied at `SSL_new`; `SSL_set_SSL_CTX` changes none of these).
    func apply(to ssl: OpaquePointer, over base: PreparedPolicy?) -> Bool {
        if base?.minVersion != self.minVersion || base?.maxVersion != self.maxVersion {
            guard pc_SSL_set_min_proto_version(ssl, self.minVersion) == 1,
                pc_SSL_set_max_proto_version(ssl, self.maxVersion) == 1
            else { return false }
        }
        if base?.options != self.options {
            _ = SSL_clear_options(ssl, UInt64.max)
            _ = SSL_set_options(ssl, self.options)
        }
        if base.map({ strcmp($0.groups, self.groups) != 0 }) ?? true {
            guard pc_SSL_set1_groups_list(ssl, self.groups) == 1 else { return false }
        }
        // Every policy sets its verify mode with no callback (`configureClientAuth`), so the mode decides.
        if base?.verifyMode != self.verifyMode {
            SSL_set_verify(ssl, self.verifyMode, self.verifyCallback)
        }
        if base?.maxEarlyData != self.maxEarlyData {
            _ = SSL_set_max_early_data(ssl, self.maxEarlyData)
            _ = SSL_set_recv_max_early_data(ssl, self.maxEarlyData)
        }
        if let names = self.clientCANames {
            guard let copy = SSL_dup_CA_list(names) else { return false }
            SSL_set_client_CA_list(ssl, copy)  // takes ownership
        }
        return true
    }
}
