import Testing

@testable import PortcullisConfig

/// `KeyLocator` finds the line of keys and headers without being fooled by comments and strings.
@Suite struct KeyLocatorTests {
    /// A document exercising the awkward corners of TOML's line structure.
    static let document = """
        # [server] in a comment is not a header
        top = 1
        [server]
        workers = 4 # trailing comment
        "quoted key" = "value with = and # and [brackets]"
        banner = \"\"\"
        [[site]]
        fake = 1
        \"\"\"
        dotted.key = 2
        [[site]]
        hosts = [
          "a.example", # a comment with "quotes"
          "b.example",
        ]
        respond = 'literal [x'
        [site.extra]
        inner = 1
        [[site]]
          hosts = ["c.example"]\r
        upstreams = [["nested"], {t = "}"}]
        after = true
        """

    /// Where each key is expected: (table, index, key or nil for the header, line).
    static let expectations: [(table: String, index: Int?, key: String?, line: Int)] = [
        ("", nil, "top", 2), ("", nil, "server", 3), ("server", nil, nil, 3), ("server", nil, "workers", 4),
        ("server", nil, "quoted key", 5), ("server", nil, "banner", 6), ("server", nil, "dotted", 10),
        ("server", nil, "dotted.key", 10), ("site", 0, nil, 11), ("site", 0, "hosts", 12),
        ("site", 0, "respond", 16), ("site", 0, "extra", 17), ("site", 1, nil, 19), ("site", 1, "hosts", 20),
        ("site", 1, "upstreams", 21), ("site", 1, "after", 22), ("", nil, "site", 11),
    ]

    /// Keys and headers map to their lines.
    @Test(arguments: Self.expectations.indices)
    func locatesKey(_ row: Int) {
        let locator = KeyLocator(text: Self.document)
        let (table, index, key, line) = Self.expectations[row]
        if let key {
            #expect(locator.line(table: table, index: index, key: key) == line, "\(table).\(key)")
        } else {
            #expect(locator.headerLine(table: table, index: index) == line, "[\(table)] #\(index ?? -1)")
        }
    }

    /// Text inside strings and comments creates no keys.
    @Test(arguments: [("server", "fake"), ("site", "fake"), ("server", "dotted.key.x"), ("", "empty")])
    func ignoresStringsAndComments(_ table: String, _ key: String) {
        let locator = KeyLocator(text: Self.document)
        #expect(locator.line(table: table, index: nil, key: key) == nil)
        #expect(locator.line(table: table, index: 0, key: key) == nil)
    }

    /// Elements of a multi-line array are found on their own lines; repeats by occurrence.
    @Test(arguments: [("a.example", 0, 13), ("B.EXAMPLE", 0, 14), ("missing", 0, 12), ("a.example", 3, 13)])
    func locatesArrayElements(_ element: String, _ occurrence: Int, _ line: Int) {
        let locator = KeyLocator(text: Self.document)
        #expect(locator.line(ofElement: element, table: "site", index: 0, key: "hosts", occurrence: occurrence) == line)
    }
}
