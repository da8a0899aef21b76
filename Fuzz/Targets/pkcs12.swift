// Fuzz target: PKCS#12 import (`portcullis import --pfx --password-file`). The input's first line is
// the password file's content, the rest the PFX (DER). Runs the reader (MAC check with that password,
// decryption, key and certificate extraction, legacy algorithms) and then the whole import validation.
import Foundation
@testable import PortcullisCertificates
@testable import PortcullisTLS

/// 2026-12-01T00:00:00Z, so validity checks do not depend on the day the fuzzer runs.
private let now = Date(timeIntervalSince1970: 1_796_083_200)

@_silgen_name("__lsan_disable") private func lsanDisable()
@_silgen_name("__lsan_enable") private func lsanEnable()

/// Loads OpenSSL's legacy and default providers before fuzzing, with leak checks off: the reader
/// loads them once per process and never unloads them, which LeakSanitizer would report at exit.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    lsanDisable()
    _ = try? PKCS12Reader.read(path: "/nonexistent/fuzz.pfx", password: "")
    lsanEnable()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPKCS12(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let (password, pfx) = fuzzSplit(fuzzBuffer(data, size), at: UInt8(ascii: "\n"))
    let passwordPath = fuzzWrite((password ?? []) + [UInt8(ascii: "\n")], as: "password.txt")
    let pfxPath = fuzzWrite(pfx, as: "bundle.pfx")
    do {
        let (key, certificates) = try PKCS12Reader.read(path: pfxPath, password: try ImportFiles.password(passwordPath))
        fuzzCheck(!certificates.isEmpty, "a PFX read with no certificate")
        _ = try? key.pem()
    } catch {
        fuzzCheck(error is CertificateImportError, "unexpected error \(error)")
    }
    let request = CertificateImportRequest(name: "fuzz", source: .pkcs12(path: pfxPath, passwordFile: passwordPath))
    do {
        _ = try CertificateImporter.prepare(request, now: now)
    } catch {
        _ = String(describing: error)
    }
    return 0
}
