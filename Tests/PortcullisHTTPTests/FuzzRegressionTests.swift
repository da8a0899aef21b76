import Foundation
import Testing

@testable import PortcullisHTTP

/// Replays every committed input of the HTTP fuzz targets (`Fuzz/regressions/TARGET`, then the seed
/// corpus `Fuzz/corpus/TARGET`) with the targets' main checks, so `make test` keeps fixed findings fixed
/// without a libFuzzer build. A new regression file is picked up with no code change.
@Suite struct HTTPFuzzRegressionTests {
    @Test func requestHeadInputs() throws {
        let inputs = try HTTPFuzzInputs.files(target: "request-head")
        #expect(!inputs.isEmpty)
        let head = RequestHead(limits: HTTPLimits())
        for (name, bytes) in inputs {
            bytes.withUnsafeBytes { Self.replayRequest($0, head: head, name: name) }
        }
    }

    @Test func responseHeadInputs() throws {
        let inputs = try HTTPFuzzInputs.files(target: "response-head")
        #expect(!inputs.isEmpty)
        let head = ResponseHead(limits: HTTPLimits())
        for (name, bytes) in inputs {
            bytes.withUnsafeBytes { Self.replayResponse($0, head: head, name: name) }
        }
    }

    @Test func chunkedInputs() throws {
        let inputs = try HTTPFuzzInputs.files(target: "chunked")
        #expect(!inputs.isEmpty)
        for (name, bytes) in inputs where !bytes.isEmpty {
            let piece = Int(bytes[0] & 0x3F) + 1
            let body = Array(bytes.dropFirst())
            let whole = Self.scan(body, piece: body.count)
            let pieces = Self.scan(body, piece: piece)
            #expect(whole.error != nil || whole.consumed == pieces.consumed, "\(name): consumed differs")
            #expect(whole.finished == pieces.finished, "\(name): finished differs")
            #expect(whole.error == pieces.error, "\(name): error differs")
            if let error = whole.error { #expect(error.status == 400 || error.status == 431, "\(name)") }
        }
    }

    private static func replayRequest(_ input: UnsafeRawBufferPointer, head: RequestHead, name: String) {
        let skip = HeadBoundary.leadingEmptyLines(in: input)
        let bytes = UnsafeRawBufferPointer(rebasing: input[skip...])
        let whole = HeadBoundary.find(in: bytes)
        let split = bytes.count / 2
        let twoReads = HeadBoundary.find(in: UnsafeRawBufferPointer(rebasing: bytes[..<split])) ?? HeadBoundary.find(in: bytes, from: split)
        #expect(twoReads == whole, "\(name): boundary in two reads differs")
        do {
            _ = try HeadBoundary.find(in: bytes, limits: head.limits)
        } catch {
            #expect(error.status == 414 || error.status == 431, "\(name): boundary error \(error.status)")
            return
        }
        guard let end = whole else { return }
        let message = UnsafeRawBufferPointer(rebasing: bytes[..<end])
        do {
            try head.parse(message)
        } catch {
            #expect((400...599).contains(error.status), "\(name): status \(error.status)")
            return
        }
        for field in head.headers {
            #expect(field.name.end <= message.count && field.value.end <= message.count, "\(name): span outside the head")
        }
        #expect(head.versionMinor == 0 || head.versionMinor == 1, "\(name)")
    }

    private static func replayResponse(_ bytes: UnsafeRawBufferPointer, head: ResponseHead, name: String) {
        let end: Int?
        do {
            end = try HeadBoundary.find(in: bytes, limits: head.limits)
        } catch {
            #expect(error.status == 414 || error.status == 431, "\(name): boundary error \(error.status)")
            return
        }
        guard let end else { return }
        let message = UnsafeRawBufferPointer(rebasing: bytes[..<end])
        do {
            try head.parse(message)
        } catch {
            #expect((400...599).contains(error.status), "\(name): status \(error.status)")
            return
        }
        #expect((100...999).contains(head.status), "\(name)")
        #expect(head.framing(requestWasHEAD: true) == .none, "\(name): HEAD response with a body")
        if head.status < 200 || head.status == 204 || head.status == 304 {
            #expect(head.framing(requestWasHEAD: false) == .none, "\(name)")
        }
    }

    private static func scan(_ body: [UInt8], piece: Int) -> (consumed: Int, finished: Bool, error: HTTPParseError?) {
        var scanner = ChunkedScanner(maxExtensionBytes: 64, maxTrailerBytes: 256)
        var offset = 0
        return body.withUnsafeBytes { all in
            repeat {
                let read = UnsafeRawBufferPointer(rebasing: all[offset..<min(all.count, offset + max(piece, 1))])
                do throws(HTTPParseError) {
                    offset += try scanner.scan(read)
                    if scanner.isFinished { return (offset, true, nil) }
                } catch {
                    return (offset, false, error)
                }
            } while offset < all.count
            return (offset, false, nil)
        }
    }
}

/// Committed fuzz inputs of one target, found from this file's place in the repository.
enum HTTPFuzzInputs {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func files(target: String) throws -> [(name: String, bytes: [UInt8])] {
        var result: [(name: String, bytes: [UInt8])] = []
        for folder in ["Fuzz/regressions/" + target, "Fuzz/corpus/" + target] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + folder + "/" + name))
                result.append((folder + "/" + name, [UInt8](data)))
            }
        }
        return result
    }
}
