internal import COpenSSL

/// The front context's ClientHello handler: reads the SNI, picks the site from the current snapshot,
/// switches the connection to the site's policy context when it differs from the listener's, and
/// installs the site's certificates and session-ID context on the connection. Owned by the front
/// `SSL_CTX` through an ex_data slot, so it lives exactly as long as the context, however long the last
/// connection outlives the `FrontTLSContext` object.
final class SiteSelector: Sendable {
    /// Where the current snapshot is read, once per handshake.
    let holder: any CertSnapshotSource
    /// The listener's `default_certificate`, tried when the SNI matches no site.
    let defaultCertificateID: Int?
    /// The listener's position in the config, which picks a site's variant for the listener's policy.
    let listenerIndex: Int

    /// The ex_data slot on `SSL_CTX` holding one retained `SiteSelector`; its free hook releases it.
    static let exDataIndex: Int32 = CRYPTO_get_ex_new_index(
        CRYPTO_EX_INDEX_SSL_CTX, 0, nil, nil, nil,
        { _, selector, _, _, _, _ in
            guard let selector else { return }
            Unmanaged<SiteSelector>.fromOpaque(selector).release()
        })

    /// The policy the front context was configured with: every connection starts out enforcing it.
    let listenerPolicy: PreparedPolicy

    /// A selector for one listener.
    init(holder: any CertSnapshotSource, defaultCertificateID: Int?, listenerIndex: Int, listenerPolicy: PreparedPolicy) {
        self.holder = holder
        self.defaultCertificateID = defaultCertificateID
        self.listenerIndex = listenerIndex
        self.listenerPolicy = listenerPolicy
    }

    /// Handles one ClientHello; returns nil to continue, or the TLS alert to abort with.
    func onClientHello(_ ssl: OpaquePointer) -> Int32? {
        withUnsafeTemporaryAllocation(byteCount: SNIParser.maxHostNameLength, alignment: 1) { buffer in
            let length: Int
            switch Self.readServerName(ssl, into: buffer) {
            case .hostName(let nameLength): length = nameLength
            case .absent: length = 0
            case .malformed: return SSL_AD_DECODE_ERROR
            case .invalidName: return SSL_AD_UNRECOGNIZED_NAME
            }
            let name = UnsafeRawBufferPointer(rebasing: buffer[..<length])
            if ALPNChallenges.shared.take(ssl, serverName: name) { return nil }  // TLS-ALPN-01 validation
            // One snapshot read and one lookup per handshake, shared by the on-demand check and the selection.
            let snapshot = self.holder.currentCertificates()
            let named = name.isEmpty ? nil : snapshot.lookup(serverName: name)
            if OnDemandNames.shared.isOnDemand(listener: self.listenerIndex),
                OnDemandNames.shared.shouldPark(ssl, serverName: name, known: named != nil)
            {
                return Self.park
            }
            guard let site = (named ?? self.fallback(in: snapshot))?.variant(forListener: self.listenerIndex) else {
                return SSL_AD_UNRECOGNIZED_NAME
            }
            guard self.switchPolicy(ssl, to: site.policyContext), site.install(on: ssl),
                ConnectionRecord.record(ssl, certificateID: site.certificateID, policy: site.policy.identity, serverName: name)
            else { return SSL_AD_INTERNAL_ERROR }
            return nil
        }
    }

    /// The fast path: a site enforcing the listener's own policy (the usual case) keeps the front
    /// context and every value copied from it. Otherwise the connection moves to the site's policy
    /// context and only the per-`SSL` values that differ from the listener's are set again.
    @inline(__always)
    private func switchPolicy(_ ssl: OpaquePointer, to target: PolicyContext) -> Bool {
        if target.policy.identity == self.listenerPolicy.identity { return true }
        return SSL_set_SSL_CTX(ssl, target.ctx) != nil && target.policy.apply(to: ssl, over: self.listenerPolicy)
    }

    /// Whether a handshake with SNI `host` (normalised) on this listener, under `snapshot`, would have
    /// enforced what `ssl`'s handshake did: the same certificate under the same policy, client-certificate
    /// checks included. A host that no site names never matches.
    func enforcesSame(_ ssl: OpaquePointer, host: UnsafeRawBufferPointer, in snapshot: CertSnapshot) -> Bool {
        // The usual case, Host == SNI: the handshake was made for this very name.
        let sameName = withUnsafeTemporaryAllocation(byteCount: SNIParser.maxHostNameLength, alignment: 1) { buffer in
            let count = ConnectionRecord.copyServerName(ssl, into: buffer)
            return count > 0 && UnsafeRawBufferPointer(rebasing: buffer[..<count]).elementsEqual(host)
        }
        if sameName { return true }
        guard let site = snapshot.lookup(serverName: host)?.variant(forListener: self.listenerIndex),
            let certificateID = ConnectionRecord.certificateID(ssl), let policy = ConnectionRecord.policyIdentity(ssl)
        else { return false }
        return site.certificateID == certificateID && site.policy.identity == policy
    }

    /// Returned by `onClientHello` to park the handshake (on-demand TLS).
    static let park: Int32 = -1


    /// Whether `ssl` was handshaken with the context of `certificateID` (and its policy) on this listener.
    func enforcesSite(_ ssl: OpaquePointer, certificateID: Int, in snapshot: CertSnapshot) -> Bool {
        guard let site = snapshot.context(certificateID: certificateID)?.variant(forListener: self.listenerIndex),
            let selected = ConnectionRecord.certificateID(ssl), let policy = ConnectionRecord.policyIdentity(ssl)
        else { return false }
        return site.certificateID == selected && site.policy.identity == policy
    }

    /// For a name no site serves (exact, then one-label wildcard, is `snapshot.lookup`): the listener's
    /// default certificate, else the snapshot's first site.
    private func fallback(in snapshot: CertSnapshot) -> SiteTLSContext? {
        if let id = self.defaultCertificateID, let site = snapshot.context(certificateID: id) { return site }
        return snapshot.first
    }

    /// Parses the raw `server_name` extension (`SSL_get_servername` is still empty at this point).
    private static func readServerName(_ ssl: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> SNIParseResult {
        var data: UnsafePointer<UInt8>? = nil
        var length = 0
        guard SSL_client_hello_get0_ext(ssl, UInt32(TLSEXT_TYPE_server_name), &data, &length) == 1, let data else {
            return .absent
        }
        return SNIParser.parseServerName(UnsafeRawBufferPointer(start: data, count: length), into: buffer)
    }
}

/// `SSL_CTX_set_client_hello_cb` trampoline: recovers the selector (owned by the front context) and
/// reports its verdict in OpenSSL's terms.
let clientHelloCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?) -> Int32 = {
    ssl, alert, argument in
    guard let ssl, let argument else { return SSL_CLIENT_HELLO_ERROR }
    let selector = Unmanaged<SiteSelector>.fromOpaque(argument).takeUnretainedValue()
    guard let code = selector.onClientHello(ssl) else { return SSL_CLIENT_HELLO_SUCCESS }
    if code == SiteSelector.park { return SSL_CLIENT_HELLO_RETRY }
    alert?.pointee = code
    return SSL_CLIENT_HELLO_ERROR
}
