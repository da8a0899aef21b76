internal import COpenSSL

/// An owned `EVP_PKEY*` (one reference).
package final class PrivateKey {
    /// The owned `EVP_PKEY*`.
    let pkey: OpaquePointer

    /// Takes over one reference to `pkey`; it is freed with this object.
    package init(takingOwnership pkey: OpaquePointer) {
        self.pkey = pkey
    }

    /// Reads the first private key in `pem` (PKCS#8, or traditional RSA/EC). Encrypted keys are refused
    /// instead of prompting on the terminal.
    package convenience init(pem: String) throws(TLSError) {
        let bio = try MemoryBIO(reading: pem)
        ERR_clear_error()
        let pkey = bio.withUnsafePointer { bio in
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let pkey else {
            throw .draining("reading the private key (a PEM key without a password is expected)")
        }
        self.init(takingOwnership: pkey)
    }

    deinit { EVP_PKEY_free(self.pkey) }

    /// The key's algorithm family.
    package var algorithm: TLSKeyAlgorithm {
        switch EVP_PKEY_get_base_id(self.pkey) {
        case EVP_PKEY_EC: return .ecdsa
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS: return .rsa
        default: return .other
        }
    }

    /// Lends the `EVP_PKEY*` for the duration of `body` (a get0: do not free it).
    package func withUnsafePointer<Result, Failure: Error>(
        _ body: (OpaquePointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(self.pkey)
    }

    /// The key as an unencrypted PKCS#8 PEM block.
    package func pem() throws(TLSError) -> String {
        let bio = try MemoryBIO()
        let written = bio.withUnsafePointer { PEM_write_bio_PrivateKey($0, self.pkey, nil, nil, 0, nil, nil) }
        guard written == 1 else { throw .draining("writing the private key as PEM") }
        return bio.contents()
    }
}
