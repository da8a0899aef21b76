// Fuzz target: the request-head path of the proxy (RFC 9112 §2-§6). Mirrors ClientConnection+Request:
// drop leading empty lines, find the head with the limit-enforcing boundary search (fed in two reads to
// exercise the incremental search), then parse it. Checks that every span the parser hands out lies
// inside the head, since the proxy slices the receive buffer with them without further checks.
@testable import PortcullisHTTP

private let head = RequestHead(limits: HTTPLimits())

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestHead(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzBuffer(data, size)
    let skip = HeadBoundary.leadingEmptyLines(in: input)
    fuzzCheck(skip >= 0 && skip <= input.count, "leading empty lines \(skip) of \(input.count)")
    let bytes = UnsafeRawBufferPointer(rebasing: input[skip...])
    let whole = HeadBoundary.find(in: bytes)
    // Searching in two reads finds the same boundary as one search over everything.
    let split = bytes.count / 2
    let twoReads = HeadBoundary.find(in: UnsafeRawBufferPointer(rebasing: bytes[..<split]))
        ?? HeadBoundary.find(in: bytes, from: split)
    fuzzCheck(twoReads == whole, "boundary in two reads \(String(describing: twoReads)) != \(String(describing: whole))")
    do {
        _ = try HeadBoundary.find(in: bytes, limits: head.limits)
    } catch {
        fuzzCheck(error.status == 414 || error.status == 431, "boundary error \(error.status)")
        return 0
    }
    guard let end = whole else { return 0 }
    fuzzCheck(end <= bytes.count, "boundary past the input")
    let message = UnsafeRawBufferPointer(rebasing: bytes[..<end])
    do {
        try head.parse(message)
    } catch {
        fuzzCheck((400...599).contains(error.status), "error status \(error.status)")
        return 0
    }
    checkSpans(in: message)
    return 0
}

/// Every span inside the head; the framing is coherent.
private func checkSpans(in message: UnsafeRawBufferPointer) {
    func inside(_ span: ByteSpan, _ what: String) {
        fuzzCheck(span.start >= 0 && span.count >= 0 && span.end <= message.count, "\(what) \(span) outside \(message.count)")
    }
    fuzzCheck(head.headLength <= message.count, "headLength \(head.headLength) > \(message.count)")
    inside(head.method, "method")
    inside(head.target, "target")
    inside(head.path, "path")
    if let host = head.host { inside(host, "host") }
    if let upgrade = head.upgrade { inside(upgrade, "upgrade") }
    for field in head.headers {
        inside(field.name, "field name")
        inside(field.value, "field value")
    }
    fuzzCheck(head.versionMinor == 0 || head.versionMinor == 1, "version 1.\(head.versionMinor)")
    if case .contentLength(let length) = head.framing { fuzzCheck(length >= 0, "negative length") }
}
