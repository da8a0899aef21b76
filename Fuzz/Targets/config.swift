// Fuzz target: the configuration loader (TOML via TOMLKit/toml++, then the decoder, the key locator
// that finds line numbers, and the diagnostics). Runs with and without a list of known policies, as
// `validate` and `run` do. Checks that a failure is a non-empty list of errors whose lines exist in the
// text, so `portcullis validate` always points somewhere real.
@testable import PortcullisConfig

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzBuffer(data, size), as: UTF8.self)
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
            fuzzCheck(!error.errors.isEmpty, "thrown with no errors")
            for problem in error.errors {
                fuzzCheck(problem.line >= 0 && problem.line <= lines + 1, "line \(problem.line) of \(lines): \(problem)")
                fuzzCheck(!problem.message.isEmpty, "empty message at line \(problem.line)")
            }
            _ = error.description
        }
    }
    return 0
}
