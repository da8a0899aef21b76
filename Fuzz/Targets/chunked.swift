// Fuzz target: the chunked-body scanner (RFC 9112 §7.1). The first input byte picks how the body is cut
// into reads (1 to 64 bytes each); the rest is the body. The scanner is a byte-level state machine, so
// scanning in pieces must give exactly what one scan of everything gives: the same bytes consumed, the
// same end, the same error.
@testable import PortcullisHTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunked(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzBuffer(data, size)
    guard let first = input.first else { return 0 }
    let piece = Int(first & 0x3F) + 1
    let body = UnsafeRawBufferPointer(rebasing: input[1...])
    let whole = scan(body, piece: body.count)
    let pieces = scan(body, piece: piece)
    // After an error the bytes of earlier reads count as consumed, so compare counts only without one.
    fuzzCheck(whole.error != nil || whole.consumed == pieces.consumed, "consumed \(whole.consumed) whole, \(pieces.consumed) in pieces of \(piece)")
    fuzzCheck(whole.finished == pieces.finished, "finished \(whole.finished) whole, \(pieces.finished) in pieces")
    fuzzCheck(whole.error == pieces.error, "error \(String(describing: whole.error)) whole, \(String(describing: pieces.error)) in pieces")
    fuzzCheck(whole.consumed <= body.count, "consumed past the input")
    if let error = whole.error { fuzzCheck(error.status == 400 || error.status == 431, "error status \(error.status)") }
    return 0
}

/// The result of scanning `body` in reads of `piece` bytes, stopping at the end or the first error.
private func scan(_ body: UnsafeRawBufferPointer, piece: Int) -> (consumed: Int, finished: Bool, error: HTTPParseError?) {
    var scanner = ChunkedScanner(maxExtensionBytes: 64, maxTrailerBytes: 256)
    var offset = 0
    repeat {
        let end = min(body.count, offset + max(piece, 1))
        let read = UnsafeRawBufferPointer(rebasing: body[offset..<end])
        do {
            let used = try scanner.scan(read)
            fuzzCheck(used >= 0 && used <= read.count, "scan used \(used) of \(read.count)")
            offset += used
            if scanner.isFinished { return (offset, true, nil) }
            fuzzCheck(used == read.count, "stopped early without finishing")
        } catch {
            return (offset, false, error)
        }
    } while offset < body.count
    return (offset, false, nil)
}
