import Testing
import PortcullisTLS

@Suite struct SNIIndexTests {
    static func makeIndex() -> SNIIndex<String> {
        var index = SNIIndex<String>()
        index.insert(host: "example.com", value: "apex")
        index.insert(host: "*.example.com", value: "wild")
        index.insert(host: "exact.example.com", value: "exact")
        index.insert(host: "*.b.example.com", value: "deep-wild")
        index.insert(host: "Mixed.Case.test", value: "mixed")
        return index
    }

    static let cases: [(String, String?)] = [
        ("example.com", "apex"),
        ("exact.example.com", "exact"),  // exact beats wildcard
        ("a.example.com", "wild"),
        ("a.b.example.com", "deep-wild"),
        ("x.a.example.com", nil),  // one label only
        ("b.example.com", "wild"),
        ("mixed.case.test", "mixed"),  // inserted names are lower-cased
        (".example.com", nil),  // empty wildcard label
        ("com", nil),
        ("other.test", nil),
        ("", nil),
    ]

    @Test(arguments: cases)
    func lookup(_ name: String, _ expected: String?) {
        #expect(Self.makeIndex().lookup(name) == expected)
    }

    @Test func firstInsertWins() {
        var index = SNIIndex<Int>()
        let inserted = [
            index.insert(host: "a.test", value: 1), index.insert(host: "A.TEST", value: 2),
            index.insert(host: "*.a.test", value: 3), index.insert(host: "*.a.test", value: 4),
        ]
        #expect(inserted == [true, false, true, false])
        #expect(index.lookup("a.test") == 1)
        #expect(index.lookup("x.a.test") == 3)
        #expect(index.count == 2)
    }
}
