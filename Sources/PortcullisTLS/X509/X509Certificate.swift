internal import COpenSSL

/// An owned `X509*` (one reference).
package final class X509Certificate {
    /// The owned `X509*`.
    let x509: OpaquePointer

    /// Takes over one reference to `x509`; it is freed with this object.
    package init(takingOwnership x509: OpaquePointer) {
        self.x509 = x509
    }

    deinit { X509_free(self.x509) }

    /// Lends the `X509*` for the duration of `body` (a get0: do not free it, up-ref to keep it).
    package func withUnsafePointer<Result, Failure: Error>(
        _ body: (OpaquePointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(self.x509)
    }

    /// Every certificate in `pem`, in file order (leaf first for a chain). Throws on a damaged block
    /// or when there is no certificate at all.
    package static func chain(fromPEM pem: String) throws(TLSError) -> [X509Certificate] {
        let bio = try MemoryBIO(reading: pem)
        var chain: [X509Certificate] = []
        ERR_clear_error()
        while let x509 = bio.withUnsafePointer({ PEM_read_bio_X509($0, nil, nil, nil) }) {
            chain.append(X509Certificate(takingOwnership: x509))
        }
        // The loop ends with "no start line" at the end of the text; anything else is a real error.
        let last = ERR_peek_last_error()
        if last != 0 && !(ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
            throw .draining("reading certificate \(chain.count + 1) of the PEM chain")
        }
        ERR_clear_error()
        guard !chain.isEmpty else { throw TLSError("reading the certificate chain: no PEM certificate found") }
        return chain
    }

    /// The certificate as a PEM block.
    package func pem() throws(TLSError) -> String {
        let bio = try MemoryBIO()
        guard bio.withUnsafePointer({ PEM_write_bio_X509($0, self.x509) }) == 1 else {
            throw .draining("writing the certificate as PEM")
        }
        return bio.contents()
    }
}
