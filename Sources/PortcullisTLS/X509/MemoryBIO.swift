internal import COpenSSL
internal import CShims

/// An owned OpenSSL memory `BIO`: a read-only view of PEM text, or a growable sink for writing PEM.
package final class MemoryBIO {
    /// The owned `BIO*`.
    private let bio: OpaquePointer
    /// Keeps the bytes a read-only BIO points into alive (`BIO_new_mem_buf` does not copy).
    private let source: [UInt8]

    /// A BIO reading `text`.
    package init(reading text: String) throws(TLSError) {
        self.source = Array(text.utf8)
        let bio = self.source.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        guard let bio else { throw .draining("creating a memory BIO") }
        self.bio = bio
    }

    /// An empty, writable BIO.
    package init() throws(TLSError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .draining("creating a memory BIO") }
        self.bio = bio
        self.source = []
    }

    deinit { BIO_free(self.bio) }

    /// Lends the `BIO*` for the duration of `body`.
    package func withUnsafePointer<Result, Failure: Error>(
        _ body: (OpaquePointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(self.bio)
    }

    /// Everything written so far, decoded as UTF-8 (PEM is ASCII).
    package func contents() -> String {
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = pc_BIO_get_mem_data(self.bio, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
