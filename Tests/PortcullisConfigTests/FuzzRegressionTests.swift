import Foundation
import Testing

@testable import PortcullisConfig

/// Replays every committed input of the `config` fuzz target (`Fuzz/regressions/config`, then the seed
/// corpus) through the loader with the target's checks, so a fixed finding stays fixed in `make test`
/// without a libFuzzer build: a failure is a non-empty list of errors, each with a message and a line
/// inside the file.
@Suite struct ConfigFuzzRegressionTests {
    static let folders = ["Fuzz/regressions/config", "Fuzz/corpus/config"]

    @Test func everyCommittedInputLoadsOrFailsWithALocatedError() throws {
        let inputs = try FuzzInputs.files(in: Self.folders)
        #expect(!inputs.isEmpty, "no committed config fuzz inputs found")
        for (path, bytes) in inputs {
            Self.replay(bytes, name: path)
        }
    }

    /// The first regression input: `[$$eams @@@…` with NUL bytes and invalid UTF-8 aborted the target.
    @Test func nulBytesAndInvalidUTF8GiveALocatedError() throws {
        let bytes = try #require(try FuzzInputs.files(in: ["Fuzz/regressions/config"]).first { $0.path.contains("crash-54ba") }?.bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(throws: ConfigErrors.self) { try ConfigLoader.parse(text: text, path: "/fuzz/proxy.conf") }
    }

    /// What `Fuzz/Targets/config.swift` does with one input.
    static func replay(_ bytes: [UInt8], name: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let variants = [
            ConfigLoader.Options(knownPolicies: nil, workingDirectory: "/fuzz"),
            ConfigLoader.Options(knownPolicies: ["modern", "intermediate"], workingDirectory: "/fuzz"),
        ]
        for options in variants {
            do {
                let config = try ConfigLoader.parse(text: text, path: "/fuzz/proxy.conf", options: options)
                _ = String(describing: config)
            } catch {
                #expect(!error.errors.isEmpty, "\(name): thrown with no errors")
                for problem in error.errors {
                    #expect(problem.line >= 0 && problem.line <= lines + 1, "\(name): line \(problem.line) of \(lines)")
                    #expect(!problem.message.isEmpty, "\(name): empty message at line \(problem.line)")
                }
                _ = error.description
            }
        }
    }
}

/// Committed fuzz inputs, found from this file's place in the repository.
enum FuzzInputs {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// (relative path, bytes) of every regular file in `folders` (relative to the repository), sorted.
    static func files(in folders: [String]) throws -> [(path: String, bytes: [UInt8])] {
        var result: [(path: String, bytes: [UInt8])] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = folder + "/" + name
                let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
                result.append((path, [UInt8](data)))
            }
        }
        return result
    }
}

/// Table headers toml++ would abort on (its parser asserts the header starts with a key character)
/// are refused by the loader with a located error; the same bytes inside strings and arrays still load.
@Suite struct TableHeaderCheckTests {
    @Test(arguments: ["[$a]", "[[$a]]", "[ @site]", "[.a]", "\t[[ \u{7}x]]", "[\nsite]]", "[["])
    func headerNotStartingWithAKeyIsALocatedError(_ header: String) throws {
        let text = "[server]\nworkers = 1\n\(header)\n"
        let error = try #require(throws: ConfigErrors.self) { try ConfigLoader.parse(text: text, path: "/etc/p.conf") }
        let problem = try #require(error.errors.first)
        #expect(error.errors.count == 1)
        #expect(problem.line == 3)
        #expect(problem.message.contains("invalid TOML: a table header must start with a key"), "\(problem.message)")
        #expect(error.description.contains("/etc/p.conf:3:"), "\(error.description)")
    }

    /// toml++ also asserts on a `}` where an array element is expected.
    @Test(arguments: ["a = [}]", "a = [1, }]", "a = [\n  \"x\", # c\n}]", "a = [[1], {b = 1}, }"])
    func braceWhereAnArrayElementBelongsIsALocatedError(_ value: String) throws {
        let text = "[server]\n\(value)\n"
        let error = try #require(throws: ConfigErrors.self) { try ConfigLoader.parse(text: text, path: "/etc/p.conf") }
        let problem = try #require(error.errors.first)
        #expect(problem.message.contains("found '}' where an array element or ']' was expected"), "\(problem.message)")
        #expect(problem.line == 2 + value.filter { $0 == "\n" }.count, "\(problem)")
    }

    @Test func bracesInsideStringsAndTablesInsideArraysPass() {
        let text = "a = [\"}\", '}', \"\"\"\n}\"\"\"]\nb = [{c = 1}, {d = [2]}]\ne = {f = [3]}\n# [}\n"
        #expect(TOMLHeaderCheck.firstProblem(in: text) == nil)
    }

    @Test func sameBytesInsideMultiLineValuesAreNotHeaders() throws {
        let text = """
            [server]
            access_log_format = \"\"\"
            [$a]
            \"\"\"
            [[site]]
            hosts = [
              "[$b]",
            ]
            """
        #expect(TOMLHeaderCheck.firstProblem(in: text) == nil)
    }

    @Test func wellFormedHeadersPass() {
        let text = "[server]\n[[site]]\n[ \"quoted\".x ]\n['lit']\n[a-b_c.d]\n  [[ site ]]\n"
        #expect(TOMLHeaderCheck.firstProblem(in: text) == nil)
    }
}
