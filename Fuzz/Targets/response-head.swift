// Fuzz target: an upstream's response head (RFC 9112 §4), as ClientConnection+Response reads it: find
// the head, parse it, then derive the body framing for a GET and for a HEAD. Checks that every span lies
// inside the head and that the status and framing are ones the proxy can act on.
@testable import PortcullisHTTP

private let head = ResponseHead(limits: HTTPLimits())

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseHead(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBuffer(data, size)
    let end: Int?
    do {
        end = try HeadBoundary.find(in: bytes, limits: head.limits)
    } catch {
        fuzzCheck(error.status == 414 || error.status == 431, "boundary error \(error.status)")
        return 0
    }
    guard let end else { return 0 }
    fuzzCheck(end <= bytes.count, "boundary past the input")
    let message = UnsafeRawBufferPointer(rebasing: bytes[..<end])
    do {
        try head.parse(message)
    } catch {
        fuzzCheck((400...599).contains(error.status), "error status \(error.status)")
        return 0
    }
    fuzzCheck((100...999).contains(head.status), "status \(head.status)")
    fuzzCheck(head.headLength <= message.count, "headLength \(head.headLength) > \(message.count)")
    fuzzCheck(head.reason.start >= 0 && head.reason.end <= message.count, "reason \(head.reason)")
    for field in head.headers {
        fuzzCheck(field.name.start >= 0 && field.name.end <= message.count, "field name \(field.name)")
        fuzzCheck(field.value.start >= 0 && field.value.end <= message.count, "field value \(field.value)")
    }
    // A HEAD response never has a body; 1xx, 204 and 304 neither (RFC 9112 §6.3).
    fuzzCheck(head.framing(requestWasHEAD: true) == .none, "HEAD response with a body")
    let framing = head.framing(requestWasHEAD: false)
    if head.status < 200 || head.status == 204 || head.status == 304 {
        fuzzCheck(framing == .none, "status \(head.status) with framing \(framing)")
    }
    if case .contentLength(let length) = framing { fuzzCheck(length >= 0, "negative length") }
    return 0
}
