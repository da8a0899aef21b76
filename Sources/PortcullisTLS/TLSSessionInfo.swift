internal import COpenSSL
internal import CShims

/// Per-connection queries on a server `SSL`, for the HTTP layer and the logs. None of them allocate.
public enum TLSSessionInfo {
    /// The certificate ID the ClientHello callback selected, or nil before the ClientHello was seen.
    package static func selectedCertificateID(_ ssl: OpaquePointer) -> Int? {
        ConnectionRecord.certificateID(ssl)
    }

    /// Copies the SNI (lower-cased, no trailing dot) into `buffer`; returns its length, 0 without SNI.
    /// A 255-byte buffer always suffices; a smaller one gets a truncated name.
    package static func serverName(_ ssl: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        ConnectionRecord.copyServerName(ssl, into: buffer)
    }

    /// Copies the subject (RFC 2253) of the client certificate into `buffer` when the client sent one
    /// and it verified against the policy's CA file (mTLS); returns its length, 0 otherwise. Control
    /// bytes are replaced, so the value is safe in a header.
    package static func verifiedClientSubject(_ ssl: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 1 else { return 0 }
        return Int(pc_SSL_verified_peer_subject(ssl, base.assumingMemoryBound(to: CChar.self), Int32(buffer.count)))
    }

    /// The negotiated protocol as OpenSSL names it ("TLSv1.3"), for logs.
    package static func protocolVersionName(_ ssl: OpaquePointer) -> StaticString {
        switch SSL_version(ssl) {
        case TLS1_3_VERSION: return "TLSv1.3"
        case TLS1_2_VERSION: return "TLSv1.2"
        case TLS1_1_VERSION: return "TLSv1.1"
        case TLS1_VERSION: return "TLSv1"
        default: return "unknown"
        }
    }

    /// Sends close_notify once, for a clean close before `bufferevent_free`. Does nothing before the
    /// handshake finished, after a fatal error (OpenSSL puts the SSL back "in init") or when already sent.
    /// Whether the handshake answered a TLS-ALPN-01 challenge (ALPN `acme-tls/1`).
    package static func negotiatedACMEChallenge(_ ssl: OpaquePointer) -> Bool { ALPNChallenges.negotiated(ssl) }

    /// Whether the handshake resumed a session (ticket) instead of a full handshake.
    package static func sessionReused(_ ssl: OpaquePointer) -> Bool { SSL_session_reused(ssl) == 1 }

    package static func shutdown(_ ssl: OpaquePointer) {
        guard SSL_is_init_finished(ssl) == 1, SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN == 0 else { return }
        _ = SSL_shutdown(ssl)
        // A peer that already closed makes SSL_shutdown queue an error; it must not leak into the next
        // operation on this thread.
        ERR_clear_error()
    }
}
