import Foundation
import PortcullisTLS
import Testing

/// Replays every committed input of the `sni` fuzz target (`Fuzz/regressions/sni`, then the seed corpus)
/// with the target's checks: a TLS record is walked to its `server_name` extension, anything else is the
/// extension body; the buffer and value forms agree, and a host name is 1-255 bytes, lower-case, NUL-free.
@Suite struct SNIFuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func everyCommittedInputParsesConsistently() throws {
        var count = 0
        for folder in ["Fuzz/regressions/sni", "Fuzz/corpus/sni"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.root + "/" + folder)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/" + folder + "/" + name))
                Self.replay([UInt8](data), name: folder + "/" + name)
                count += 1
            }
        }
        #expect(count > 0, "no committed sni fuzz inputs found")
    }

    static func replay(_ input: [UInt8], name: String) {
        let body: [UInt8]
        if input.count > 5 && input[0] == 0x16 && input[1] == 0x03 {
            guard let found = Self.serverNameExtension(in: input) else { return }
            body = found
        } else {
            body = input
        }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: SNIParser.maxHostNameLength, alignment: 1)
        defer { output.deallocate() }
        let result = body.withUnsafeBytes { SNIParser.parseServerName($0, into: output) }
        switch (result, SNIParser.parseServerName(body)) {
        case (.hostName(let length), .hostName(let value)):
            let bytes = Array(output[..<length])
            #expect((1...SNIParser.maxHostNameLength).contains(length), "\(name)")
            #expect(!bytes.contains(0) && !bytes.contains { (0x41...0x5A).contains($0) }, "\(name)")
            #expect(String(decoding: bytes, as: UTF8.self) == value, "\(name)")
        case (.absent, .absent), (.malformed, .malformed), (.invalidName, .invalidName):
            break
        case (let buffer, let value):
            Issue.record("\(name): buffer form \(buffer) but value form \(value)")
        }
    }

    /// Extension 0 of a ClientHello record (record, handshake header, version, random, session id,
    /// cipher suites, compression methods, extensions), bounds-checked.
    static func serverNameExtension(in record: [UInt8]) -> [UInt8]? {
        var offset = 5
        func take(_ count: Int) -> Int? {
            guard offset + count <= record.count else { return nil }
            defer { offset += count }
            return count == 1 ? Int(record[offset]) : count == 2 ? Int(record[offset]) << 8 | Int(record[offset + 1]) : 0
        }
        guard take(1) == 1, take(3) != nil, take(34) != nil, let session = take(1), take(session) != nil,
            let suites = take(2), take(suites) != nil, let methods = take(1), take(methods) != nil, let total = take(2)
        else { return nil }
        let end = min(record.count, offset + total)
        while offset + 4 <= end {
            guard let type = take(2), let length = take(2), offset + length <= end else { return nil }
            if type == 0 { return Array(record[offset..<offset + length]) }
            offset += length
        }
        return nil
    }
}
