internal import COpenSSL
internal import CShims
import Synchronization

/// What the linked OpenSSL can negotiate: cipher, suite, group and signature-algorithm names, probed
/// once on scratch contexts. Policies are checked against it before any context is built, so a name
/// OpenSSL would silently skip (or a preset feature this build lacks) is reported up front.
public enum OpenSSLCapabilities {
    /// "OpenSSL 3.0.19 27 Jan 2026".
    public static let versionText: String = String(cString: OpenSSL_version(Int32(OPENSSL_VERSION)))

    /// Groups that exist in newer OpenSSL releases only, with the release that added them.
    static let newerGroups: [String: String] = [
        "X25519MLKEM768": "3.5", "SecP256r1MLKEM768": "3.5", "SecP384r1MLKEM1024": "3.5",
        "MLKEM512": "3.5", "MLKEM768": "3.5", "MLKEM1024": "3.5",
    ]

    /// TLS 1.2-and-older cipher names this build knows (at security level 0, so nothing is hidden).
    public static let cipherNames: Set<String> = cipherList("ALL:COMPLEMENTOFALL:@SECLEVEL=0").filter {
        !$0.hasPrefix("TLS_")
    }

    /// TLS 1.3 ciphersuite names this build knows.
    public static let suiteNames: Set<String> = Set(
        [
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256",
        ].filter { name in
            withScratchContext { SSL_CTX_set_ciphersuites($0, name) == 1 }
        })

    /// Whether `name` is a key-exchange group this build can offer.
    public static func supportsGroup(_ name: String) -> Bool {
        self.cached("group " + name) { withScratchContext { pc_SSL_CTX_set1_groups_list($0, name) == 1 } }
    }

    /// Whether `name` is a signature algorithm this build accepts (`ECDSA+SHA256`, `rsa_pss_rsae_sha256`).
    public static func supportsSigalg(_ name: String) -> Bool {
        self.cached("sigalg " + name) { withScratchContext { pc_SSL_CTX_set1_sigalgs_list($0, name) == 1 } }
    }

    /// Answers already probed (a scratch `SSL_CTX` costs about a millisecond; snapshots are rebuilt often).
    private static let answers = Mutex<[String: Bool]>([:])

    private static func cached(_ key: String, _ probe: () -> Bool) -> Bool {
        if let known = self.answers.withLock({ $0[key] }) { return known }
        let answer = probe()
        self.answers.withLock { $0[key] = answer }
        return answer
    }

    /// The names a cipher string selects, in order.
    private static func cipherList(_ string: String) -> Set<String> {
        withScratchContext { ctx in
            guard SSL_CTX_set_cipher_list(ctx, string) == 1, let stack = SSL_CTX_get_ciphers(ctx) else { return [] }
            var names = Set<String>()
            for index in 0..<OPENSSL_sk_num(stack) {
                guard let cipher = OPENSSL_sk_value(stack, index) else { continue }
                names.insert(String(cString: SSL_CIPHER_get_name(OpaquePointer(cipher))))
            }
            return names
        }
    }

    /// Runs `body` on a fresh server context and frees it; the error queue is cleared afterwards.
    private static func withScratchContext<T>(_ body: (OpaquePointer) -> T) -> T {
        OpenSSLRuntime.initialize()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { preconditionFailure("SSL_CTX_new failed") }
        defer {
            SSL_CTX_free(ctx)
            ERR_clear_error()
        }
        return body(ctx)
    }
}
