/// Outcome of parsing a ClientHello `server_name` extension into a caller's buffer.
public enum SNIParseResult: Equatable, Sendable {
    /// A host name of `length` bytes was written (lower-cased, trailing dot removed).
    case hostName(length: Int)
    /// The list is well formed but holds no `host_name` entry.
    case absent
    /// The extension does not follow RFC 6066's structure (answer with a decode_error alert).
    case malformed
    /// A `host_name` entry that can never name a site: empty, over 255 bytes, or with a byte outside
    /// host-name syntax (letters, digits, `-`, `.`, `_`). Answered with unrecognized_name, as OpenSSL
    /// does for NUL: RFC 6066 §3 makes HostName an ASCII DNS name, so such bytes never route anywhere,
    /// and refusing them at the ClientHello keeps them out of logs and headers.
    case invalidName
}

/// The SNI of a ClientHello, as a value (tests, tools); the handshake path uses the buffer form.
public enum SNIServerName: Equatable, Sendable {
    /// The lower-cased host name without trailing dot.
    case hostName(String)
    /// See `SNIParseResult.absent`.
    case absent
    /// See `SNIParseResult.malformed`.
    case malformed
    /// See `SNIParseResult.invalidName`.
    case invalidName
}

/// Parses the raw `server_name` extension body by hand, because `SSL_get_servername` is still empty
/// inside the ClientHello callback. Pure and allocation-free.
public enum SNIParser {
    /// Longest host name accepted (RFC 6066 §3 and OpenSSL's `TLSEXT_MAXLEN_host_name`).
    public static let maxHostNameLength = 255

    /// Parses `extensionBytes` (the extension body, without type and length) into a value.
    public static func parseServerName(_ extensionBytes: [UInt8]) -> SNIServerName {
        extensionBytes.withUnsafeBytes { input in
            withUnsafeTemporaryAllocation(byteCount: self.maxHostNameLength, alignment: 1) { output in
                switch self.parseServerName(input, into: output) {
                case .hostName(let length):
                    return .hostName(String(decoding: UnsafeRawBufferPointer(rebasing: output[..<length]), as: UTF8.self))
                case .absent: return .absent
                case .malformed: return .malformed
                case .invalidName: return .invalidName
                }
            }
        }
    }

    // RFC 6066 §3:
    //   struct {
    //       NameType name_type;
    //       select (name_type) { case host_name: HostName; } name;
    //   } ServerName;
    //   enum { host_name(0), (255) } NameType;
    //   opaque HostName<1..2^16-1>;
    //   struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
    // Entries of other name types are skipped, assuming the same 2-byte length prefix.

    /// Parses the extension body in `input` and writes the first host name into `output`, which must
    /// hold at least `maxHostNameLength` bytes.
    public static func parseServerName(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> SNIParseResult {
        precondition(output.count >= self.maxHostNameLength, "SNI output buffer too small")
        guard input.count >= 2 else { return .malformed }
        let listLength = Int(input[0]) << 8 | Int(input[1])
        guard listLength >= 1, listLength + 2 == input.count else { return .malformed }
        var offset = 2
        while offset < input.count {
            guard offset + 3 <= input.count else { return .malformed }
            let nameType = input[offset]
            let nameLength = Int(input[offset + 1]) << 8 | Int(input[offset + 2])
            offset += 3
            guard nameLength >= 1, offset + nameLength <= input.count else { return .malformed }
            if nameType == 0 {
                return self.copyHostName(UnsafeRawBufferPointer(rebasing: input[offset..<offset + nameLength]), into: output)
            }
            offset += nameLength
        }
        return .absent
    }

    /// Lower-cases `name` into `output` and drops one trailing dot; rejects empty and over-long names and
    /// any byte outside letters, digits, `-`, `.` and `_` (quotes, backslashes, controls, spaces, `:`,
    /// non-ASCII: IDNs arrive as ASCII A-labels).
    private static func copyHostName(
        _ name: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> SNIParseResult {
        guard name.count <= self.maxHostNameLength else { return .invalidName }
        for (index, byte) in name.enumerated() {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): output[index] = byte | 0x20
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                output[index] = byte
            default: return .invalidName
            }
        }
        var length = name.count
        if output[length - 1] == UInt8(ascii: ".") { length -= 1 }
        return length == 0 ? .invalidName : .hostName(length: length)
    }
}
