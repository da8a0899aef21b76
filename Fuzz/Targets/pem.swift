// Fuzz target: PEM/DER import (`portcullis import --cert --key`). The input is one file used as both
// the certificate file and the key file, as a combined PEM bundle is: certificates are read as PEM
// blocks, else one DER certificate; the key as PEM (PKCS#8 or traditional), else DER; then the whole
// validation runs (key type, key match, CA checks, validity, chain order). Any outcome but a crash or a
// leak is fine; failures must be `CertificateImportError`s, which name the file for the operator.
import Foundation
@testable import PortcullisCertificates
@testable import PortcullisTLS

/// 2026-12-01T00:00:00Z, so validity checks do not depend on the day the fuzzer runs.
private let now = Date(timeIntervalSince1970: 1_796_083_200)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPEM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(fuzzBuffer(data, size))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? X509Certificate.chain(fromPEM: text)
    _ = try? PrivateKey(pem: text)
    let path = fuzzWrite(bytes, as: "bundle.pem")
    for read in [{ _ = try ImportFiles.certificates(path) }, { _ = try ImportFiles.key(path) }] {
        do { try read() } catch { fuzzCheck(error is CertificateImportError, "unexpected error \(error)") }
    }
    let request = CertificateImportRequest(name: "fuzz", source: .pem(certificate: path, chain: nil, caBundle: nil, key: path))
    do {
        let result = try CertificateImporter.prepare(request, now: now)
        fuzzCheck(!result.certificate.chainPEM.isEmpty && !result.certificate.keyPEM.isEmpty, "empty import")
    } catch {
        _ = String(describing: error)
    }
    return 0
}
