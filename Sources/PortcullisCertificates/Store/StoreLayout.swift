/// Every path under the state directory, built in one place. Certificate names become safe folder
/// names here: `*.example.com` → `_wildcard.example.com`; any byte outside `[A-Za-z0-9._-]`, a leading
/// dot and `%` itself become `%XX`, so distinct names never share a folder and none escapes `certs/`.
public struct StoreLayout: Sendable, Equatable {
    /// The state directory, without a trailing slash.
    public let stateDir: String

    /// A layout rooted at `stateDir` (absolute, or relative to the working directory).
    public init(stateDir: String) {
        var dir = stateDir
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        self.stateDir = dir
    }

    /// `<state>/certs`: one folder per certificate.
    public var certificatesDirectory: String { self.stateDir + "/certs" }

    /// `<state>/acme-challenges`: one file per HTTP-01 token (certbot webroot layout).
    public var challengesDirectory: String { self.stateDir + "/acme-challenges" }

    /// `<state>/store.lock`: the writers' lock (`StoreLock`).
    public var lockPath: String { self.stateDir + "/store.lock" }

    /// `<state>/previous`: the one previous version of each certificate (for `certs rollback`).
    public var previousDirectory: String { self.stateDir + "/previous" }

    /// `<state>/previous/<safe name>`.
    public func previousCertificateDirectory(name: String) -> String {
        self.previousDirectory + "/" + Self.safeFolderName(name)
    }

    /// The certificate name stored in folder `folder` (the inverse of `safeFolderName` for `%XX`).
    public static func certificateName(folder: String) -> String {
        guard folder.contains("%") else { return folder }
        var bytes: [UInt8] = []
        var utf8 = folder.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `<state>/certs/<safe name>`.
    public func certificateDirectory(name: String) -> String {
        self.certificatesDirectory + "/" + Self.safeFolderName(name)
    }

    /// `chain.pem`: the leaf first, then intermediates.
    public func chainPath(name: String) -> String { self.certificateDirectory(name: name) + "/chain.pem" }

    /// `key.pem`: the private key, mode 0600.
    public func keyPath(name: String) -> String { self.certificateDirectory(name: name) + "/key.pem" }

    /// `meta.json`: source, domains, creation time (`CertificateMetadata`).
    public func metadataPath(name: String) -> String { self.certificateDirectory(name: name) + "/meta.json" }

    /// A fresh staging folder beside the certificate folders; dot-prefixed, so never a certificate name.
    func stagingDirectory(name: String) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return self.certificatesDirectory + "/.staging-" + Self.safeFolderName(name) + "-" + suffix
    }

    /// The folder name for certificate `name` (see the type's description).
    public static func safeFolderName(_ name: String) -> String {
        guard !name.isEmpty else { return "%" }
        let mapped = name.hasPrefix("*.") ? "_wildcard" + name.dropFirst(1) : Substring(name)
        var result = ""
        for (offset, byte) in mapped.utf8.enumerated() {
            if self.isSafe(byte) && !(offset == 0 && byte == UInt8(ascii: ".")) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// ASCII letters, digits, `.`, `_` and `-`.
    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Left-pads with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - self.count)) + self
    }
}
