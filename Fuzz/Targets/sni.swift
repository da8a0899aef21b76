// Fuzz target: the ClientHello `server_name` parser (RFC 6066 §3) that the SNI callback runs on the bytes
// OpenSSL hands it. An input that starts like a TLS handshake record is walked as a ClientHello
// (RFC 8446 §4.1.2) to its server_name extension, as OpenSSL's `SSL_client_hello_get0_ext` would; any
// other input is taken as the extension body itself. Checks the buffer form against the value form and
// that a host name comes out lower-cased, NUL-free, non-empty and at most 255 bytes.
@testable import PortcullisTLS

private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: SNIParser.maxHostNameLength, alignment: 1)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSNI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzBuffer(data, size)
    let body: [UInt8]
    if input.count > 5 && input[0] == 0x16 && input[1] == 0x03 {
        guard let found = ClientHelloWalker.serverNameExtension(in: input) else { return 0 }
        body = found
    } else {
        body = Array(input)
    }
    let result = body.withUnsafeBytes { SNIParser.parseServerName($0, into: output) }
    let value = SNIParser.parseServerName(body)
    switch (result, value) {
    case (.hostName(let length), .hostName(let name)):
        fuzzCheck(length >= 1 && length <= SNIParser.maxHostNameLength, "host name length \(length)")
        let bytes = UnsafeRawBufferPointer(rebasing: output[..<length])
        fuzzCheck(!bytes.contains(0), "NUL in host name")
        fuzzCheck(!bytes.contains { $0 >= 0x41 && $0 <= 0x5A }, "upper case in host name")
        fuzzCheck(String(decoding: bytes, as: UTF8.self) == name, "value form \(name) differs")
    case (.absent, .absent), (.malformed, .malformed), (.invalidName, .invalidName):
        break
    default:
        fuzzCheck(false, "buffer form \(result) but value form \(value)")
    }
    return 0
}

/// Finds extension 0 in a ClientHello record: record header, handshake header, version, random,
/// session id, cipher suites, compression methods, then the extensions.
enum ClientHelloWalker {
    static func serverNameExtension(in record: UnsafeRawBufferPointer) -> [UInt8]? {
        var reader = Reader(bytes: record, offset: 5)
        guard reader.byte() == 1, reader.skip(3), reader.skip(2 + 32) else { return nil }
        guard let session = reader.byte(), reader.skip(Int(session)) else { return nil }
        guard let suites = reader.uint16(), reader.skip(suites) else { return nil }
        guard let methods = reader.byte(), reader.skip(Int(methods)) else { return nil }
        guard let total = reader.uint16() else { return nil }
        let end = min(record.count, reader.offset + total)
        while reader.offset + 4 <= end {
            guard let type = reader.uint16(), let length = reader.uint16(), reader.offset + length <= end else { return nil }
            if type == 0 { return Array(record[reader.offset..<reader.offset + length]) }
            _ = reader.skip(length)
        }
        return nil
    }

    /// A bounds-checked cursor.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset: Int

        mutating func byte() -> UInt8? {
            guard self.offset < self.bytes.count else { return nil }
            defer { self.offset += 1 }
            return self.bytes[self.offset]
        }

        mutating func uint16() -> Int? {
            guard let high = self.byte(), let low = self.byte() else { return nil }
            return Int(high) << 8 | Int(low)
        }

        mutating func skip(_ count: Int) -> Bool {
            guard self.offset + count <= self.bytes.count else { return false }
            self.offset += count
            return true
        }
    }
}
