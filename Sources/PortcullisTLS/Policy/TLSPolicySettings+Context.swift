internal import COpenSSL
internal import CShims

extension TLSPolicySettings {
    /// Options every Portcullis context carries whatever the policy: no compression, no renegotiation,
    /// and a FIN without close_notify reads as EOF (libevent 2.1 cannot classify OpenSSL 3's error).
    static let alwaysOnOptions: UInt64 =
        PC_SSL_OP_NO_COMPRESSION | PC_SSL_OP_NO_RENEGOTIATION | PC_SSL_OP_IGNORE_UNEXPECTED_EOF

    /// The `SSL_OP_*` bits this policy adds to `alwaysOnOptions`.
    var policyOptions: UInt64 {
        var options: UInt64 = 0
        if self.serverPreference { options |= PC_SSL_OP_CIPHER_SERVER_PREFERENCE }
        if !self.sessionTickets { options |= PC_SSL_OP_NO_TICKET }
        return options
    }

    /// Applies versions, ciphers, groups and options to `ctx`, and disables 0-RTT.
    func configure(_ ctx: OpaquePointer) throws(TLSError) {
        guard pc_SSL_CTX_set_min_proto_version(ctx, self.minVersion) == 1,
            pc_SSL_CTX_set_max_proto_version(ctx, self.maxVersion) == 1
        else {
            throw .draining("setting the protocol versions \(self.minVersion)–\(self.maxVersion)")
        }
        guard SSL_CTX_set_cipher_list(ctx, self.cipherList) == 1 else {
            throw .draining("setting the TLS 1.2 cipher list \"\(self.cipherList)\"")
        }
        guard SSL_CTX_set_ciphersuites(ctx, self.ciphersuites) == 1 else {
            throw .draining("setting the TLS 1.3 ciphersuites \"\(self.ciphersuites)\"")
        }
        guard pc_SSL_CTX_set1_groups_list(ctx, self.groups) == 1 else {
            throw .draining("setting the groups \"\(self.groups)\"")
        }
        _ = SSL_CTX_set_options(ctx, Self.alwaysOnOptions | self.policyOptions)
        _ = SSL_CTX_set_max_early_data(ctx, 0)
    }
}
