import Testing

@testable import PortcullisHTTP

@Suite("HeadBoundary")
struct HeadBoundaryTests {
    private func find(_ text: String, from: Int = 0) -> Int? {
        Array(text.utf8).withUnsafeBytes { HeadBoundary.find(in: $0, from: from) }
    }

    private func check(_ text: String, from: Int = 0, limits: HTTPLimits) -> Result<Int?, HTTPParseError> {
        var end: Int?
        if let error = withBytes(
            Array(text.utf8),
            { raw throws(HTTPParseError) in
                end = try HeadBoundary.find(in: raw, from: from, limits: limits)
            }
        ) {
            return .failure(error)
        }
        return .success(end)
    }

    @Test func findsTheFirstEmptyLine() {
        #expect(self.find("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody\r\n\r\n") == 27)
        #expect(self.find("\r\n\r\n") == 4)
        #expect(self.find("GET / HTTP/1.1\r\nHost: a\r\n") == nil)
        #expect(self.find("GET / HTTP/1.1\n\n") == nil)
        #expect(self.find("") == nil)
    }

    @Test func resumesAcrossReadsWithoutMissingASplitTerminator() {
        let text = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        // Every split point: the first part has no terminator, the search resumes at its count.
        for split in 0..<text.utf8.count {
            let first = String(text.utf8.prefix(split))!
            #expect(self.find(first) == nil)
            #expect(self.find(text, from: split) == 27, "split at \(split)")
        }
    }

    @Test func enforcesLimitsBeforeTheHeadIsComplete() {
        let limits = HTTPLimits(maxRequestLine: 10, maxHeaderBytes: 20, maxHeaderCount: 10)
        #expect(self.check("GET /aaaaaa", limits: limits) == .success(nil))
        #expect(self.check("GET /aaaaaaa", limits: limits) == .failure(.uriTooLong))
        #expect(self.check("GET /aaaaaaaaaa", from: 11, limits: limits) == .failure(.uriTooLong))
        let longFields = "GET / HTTP\r\n" + String(repeating: "X", count: 20)
        #expect(self.check(longFields, limits: limits) == .failure(.headerFieldsTooLarge))
        #expect(self.check(String(longFields.dropLast()), limits: limits) == .success(nil))
        #expect(self.check("GET / HTTP\r\n\r\n", limits: limits) == .success(14))
    }

    @Test func measuresLeadingEmptyLines() {
        let count = { (text: String) in Array(text.utf8).withUnsafeBytes { HeadBoundary.leadingEmptyLines(in: $0) } }
        #expect(count("\r\n\r\nGET") == 4)
        #expect(count("GET") == 0)
        #expect(count("\r\r\n") == 0)
        #expect(count("\r") == 0)
    }
}
