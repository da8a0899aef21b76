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

    /// TLS 1.3 early data accepted per connection (0 disables 0-RTT).
    var maxEarlyData: UInt32 { self.earlyData ? 16384 : 0 }

    /// Applies versions, ciphers, groups, options, security level, DH parameters and client
    /// authentication to `ctx`; 0-RTT stays off unless the policy enables it.
    func configure(_ ctx: OpaquePointer) throws(TLSError) {
        if let level = self.securityLevel { SSL_CTX_set_security_level(ctx, level) }
        guard pc_SSL_CTX_set_min_proto_version(ctx, self.minVersion) == 1,
            pc_SSL_CTX_set_max_proto_version(ctx, self.maxVersion) == 1
        else {
            throw .draining("setting the protocol versions \(self.minVersion)–\(self.maxVersion)")
        }
        // A TLS 1.3-only policy has no TLS 1.2 list; OpenSSL refuses an empty one, and it is never used.
        if !self.cipherList.isEmpty {
            guard SSL_CTX_set_cipher_list(ctx, self.cipherList) == 1 else {
                throw .draining("setting the TLS 1.2 cipher list \"\(self.cipherList)\"")
            }
        }
        guard SSL_CTX_set_ciphersuites(ctx, self.ciphersuites) == 1 else {
            throw .draining("setting the TLS 1.3 ciphersuites \"\(self.ciphersuites)\"")
        }
        guard pc_SSL_CTX_set1_groups_list(ctx, self.groups) == 1 else {
            throw .draining("setting the groups \"\(self.groups)\"")
        }
        if let sigalgs = self.sigalgs, pc_SSL_CTX_set1_sigalgs_list(ctx, sigalgs) != 1 {
            throw .draining("setting the signature algorithms \"\(sigalgs)\"")
        }
        _ = SSL_CTX_set_options(ctx, Self.alwaysOnOptions | self.policyOptions)
        _ = SSL_CTX_set_max_early_data(ctx, self.maxEarlyData)
        _ = SSL_CTX_set_recv_max_early_data(ctx, self.maxEarlyData)
        try self.configureDH(ctx)
        try self.configureClientAuth(ctx)
    }

    /// Installs the DH parameters the policy's DHE ciphers need.
    private func configureDH(_ ctx: OpaquePointer) throws(TLSError) {
        switch self.dhParameters {
        case .none:
            return
        case .dh1024:
            // Automatic parameters in mode 2 use the 1024-bit RFC 2409 group (80-bit security).
            guard pc_SSL_CTX_set_dh_auto(ctx, 2) == 1 else { throw .draining("enabling 1024-bit DH parameters") }
        case .ffdhe2048:
            guard let pctx = EVP_PKEY_CTX_new_from_name(nil, "DH", nil) else {
                throw .draining("creating DH parameters")
            }
            defer { EVP_PKEY_CTX_free(pctx) }
            var pkey: OpaquePointer? = nil
            guard EVP_PKEY_paramgen_init(pctx) == 1, EVP_PKEY_CTX_set_group_name(pctx, "ffdhe2048") == 1,
                EVP_PKEY_paramgen(pctx, &pkey) == 1, let pkey
            else { throw .draining("creating the ffdhe2048 DH parameters") }
            // set0: the context takes over the key on success.
            guard SSL_CTX_set0_tmp_dh_pkey(ctx, pkey) == 1 else {
                EVP_PKEY_free(pkey)
                throw .draining("installing the ffdhe2048 DH parameters")
            }
        }
    }

    /// Loads the client CA bundle and sets the verify mode for mTLS.
    private func configureClientAuth(_ ctx: OpaquePointer) throws(TLSError) {
        guard self.clientAuth != .none, let file = self.clientCAFile else { return }
        guard SSL_CTX_load_verify_locations(ctx, file, nil) == 1 else {
            throw .draining("loading the client CA file \(file)")
        }
        guard let names = SSL_load_client_CA_file(file) else { throw .draining("reading CA names from \(file)") }
        SSL_CTX_set_client_CA_list(ctx, names)  // takes ownership
        var mode = SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE
        if self.clientAuth == .required { mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT }
        SSL_CTX_set_verify(ctx, mode, nil)
    }
}
