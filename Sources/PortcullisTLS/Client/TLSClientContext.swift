internal import COpenSSL
internal import CShims
import Glibc

/// A client `SSL_CTX`: TLS 1.2 or later, the peer certificate verified against the system roots plus
/// the PEM certificates of a trust file, and each connection checked against the name it dialled.
package final class TLSClientContext {
    /// The owned `SSL_CTX*`.
    let context: OpaquePointer

    /// A context trusting the system roots plus `trustFile` ("" for none).
    package init(trustFile: String) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .draining("creating a client TLS context") }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        _ = pc_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        _ = SSL_CTX_set_default_verify_paths(context)
        if !trustFile.isEmpty, SSL_CTX_load_verify_locations(context, trustFile, nil) != 1 {
            throw .draining("loading the trust file \(trustFile)")
        }
    }

    deinit { SSL_CTX_free(self.context) }

    /// A new `SSL*` for `host`: SNI and host name checking for a name, IP checking for a literal
    /// (RFC 6066 §3 forbids an IP in SNI). The caller owns it (a bufferevent takes it over).
    func makeSSL(host: String) throws(TLSError) -> OpaquePointer {
        guard let ssl = SSL_new(self.context) else { throw .draining("creating a TLS session") }
        var address = in6_addr()
        if inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1 {
            _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            _ = pc_SSL_set_tlsext_host_name(ssl, host)
            _ = SSL_set1_host(ssl, host)
        }
        return ssl
    }

    /// OpenSSL's verdict on the peer certificate of `ssl`, nil when it verified (or never arrived).
    static func verifyFailure(_ ssl: OpaquePointer) -> String? {
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return nil }
        return "certificate verify failed: " + String(cString: X509_verify_cert_error_string(result))
    }
}
