import Foundation
import Testing

@testable import PortcullisACME

/// The challenge solvers: the HTTP-01 folder and the DNS-01 hook contract.
@Suite struct SolverTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-solver-\(UUID().uuidString)").path

    @Test func http01WritesAndRemovesTheTokenFile() throws {
        defer { try? FileManager.default.removeItem(atPath: self.folder) }
        let solver = HTTP01Solver(store: nil, directory: self.folder + "/acme-challenges")
        try solver.present(identifier: "a.test", token: "tok_en-1", keyAuthorization: "tok_en-1.thumb")
        #expect(try String(contentsOfFile: self.folder + "/acme-challenges/tok_en-1", encoding: .utf8) == "tok_en-1.thumb")
        #expect(throws: ACMEError.self) { try solver.present(identifier: "a.test", token: "../x", keyAuthorization: "k") }
        solver.cleanUp()
        #expect(!FileManager.default.fileExists(atPath: self.folder + "/acme-challenges/tok_en-1"))
    }

    @Test func dnsHookGetsPresentThenCleanupWithFQDNAndValue() throws {
        try FileManager.default.createDirectory(atPath: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: self.folder) }
        let hook = self.folder + "/hook.sh"
        try "#!/bin/sh\necho \"$1 $2 $3\" >> \"$0.log\"\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let solver = DNS01HookSolver(hook: hook)
        try solver.present(identifier: "*.example.com", token: "t", keyAuthorization: "t.k")
        try solver.present(identifier: "example.com", token: "u", keyAuthorization: "u.k")
        solver.cleanUp()
        let value1 = DNS01HookSolver.recordValue("t.k")
        let value2 = DNS01HookSolver.recordValue("u.k")
        let log = try String(contentsOfFile: hook + ".log", encoding: .utf8)
        #expect(log == """
            present _acme-challenge.example.com. \(value1)
            present _acme-challenge.example.com. \(value2)
            cleanup _acme-challenge.example.com. \(value1)
            cleanup _acme-challenge.example.com. \(value2)

            """)
    }

    @Test func failingDNSHookFailsPresentWithItsMessage() throws {
        try FileManager.default.createDirectory(atPath: self.folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: self.folder) }
        let hook = self.folder + "/hook.sh"
        try "#!/bin/sh\necho 'zone not found' >&2\nexit 3\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let solver = DNS01HookSolver(hook: hook)
        do {
            try solver.present(identifier: "example.com", token: "t", keyAuthorization: "t.k")
            Issue.record("expected a failure")
        } catch {
            #expect("\(error)".contains("exited with status 3: zone not found"), "\(error)")
        }
    }
}
