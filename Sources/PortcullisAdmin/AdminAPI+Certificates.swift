import Foundation
import PortcullisCore

/// `/api/v1/certificates…`.
extension AdminAPI {
    /// Dispatches on the segments after `certificates`.
    func certificatesRoute(
        _ request: HTTPServerRequest, method: String, rest: [String], target: AdminTarget
    ) throws -> HTTPServerResponse {
        switch (rest.count, method) {
        case (0, "GET"): return AdminJSON.response(status: 200, try self.backend.listCertificates())
        case (0, _): return Self.methodNotAllowed(["GET"])
        case (1, "GET"): return AdminJSON.response(status: 200, try self.backend.certificate(named: rest[0]))
        case (1, "PUT"):
            let upload = try CertificateUploadBody.decode(request.body)
            let (created, info) = try self.backend.putCertificate(named: rest[0], upload: upload)
            return AdminJSON.response(status: created ? 201 : 200, info)
        case (1, "DELETE"):
            try self.backend.deleteCertificate(named: rest[0], force: try target.flag("force"))
            return HTTPServerResponse(status: 204)
        case (1, _): return Self.methodNotAllowed(["GET", "PUT", "DELETE"])
        case (2, _): return try self.certificateAction(method: method, name: rest[0], action: rest[1])
        default: throw AdminError(.notFound, "no such route: \(target.path)")
        }
    }

    /// `chain.pem`, `rollback` and `renew` under one certificate.
    private func certificateAction(method: String, name: String, action: String) throws -> HTTPServerResponse {
        switch action {
        case "chain.pem":
            guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
            let pem = try self.backend.chainPEM(named: name)
            let headers = [
                ("Content-Type", "application/x-pem-file"),
                ("Content-Disposition", "attachment; filename=\"\(name).chain.pem\""),
            ]
            return HTTPServerResponse(status: 200, headers: headers, body: Array(pem.utf8))
        case "rollback":
            guard method == "POST" else { return Self.methodNotAllowed(["POST"]) }
            return AdminJSON.response(status: 200, try self.backend.rollbackCertificate(named: name))
        case "renew":
            guard method == "POST" else { return Self.methodNotAllowed(["POST"]) }
            try self.backend.renewCertificate(named: name)
            return AdminJSON.response(status: 202, ["name": name, "status": "renewal started"])
        default:
            throw AdminError(.notFound, "no such route under certificate \"\(name)\": \(action)")
        }
    }
}

/// The JSON body of `PUT /api/v1/certificates/{name}`: one of three shapes.
struct CertificateUploadBody: Decodable {
    struct SelfSigned: Decodable {
        var domains: [String]
        var keyType: String?
        var days: Int?
        enum CodingKeys: String, CodingKey {
            case domains, days
            case keyType = "key_type"
        }
    }

    var certificate: String?
    var privateKey: String?
    var chain: String?
    var caBundle: String?
    var force: Bool?
    var pfx: String?
    var password: String?
    var selfSigned: SelfSigned?

    enum CodingKeys: String, CodingKey {
        case certificate, chain, force, pfx, password
        case privateKey = "private_key"
        case caBundle = "ca_bundle"
        case selfSigned = "self_signed"
    }

    /// Decodes and checks which shape was sent; mixing shapes or leaving out a part is a 400.
    static func decode(_ body: [UInt8]) throws -> CertificateUpload {
        let value = try AdminJSON.decode(Self.self, from: body)
        let shapes = [value.certificate != nil || value.privateKey != nil, value.pfx != nil, value.selfSigned != nil]
        guard shapes.filter({ $0 }).count == 1 else {
            throw AdminError(
                .badRequest,
                "send exactly one of: certificate and private_key (PEM), pfx and password, or self_signed")
        }
        if let selfSigned = value.selfSigned {
            return .selfSigned(domains: selfSigned.domains, keyType: selfSigned.keyType ?? "ec256", days: selfSigned.days ?? 365)
        }
        if let pfx = value.pfx {
            guard let data = Data(base64Encoded: pfx, options: .ignoreUnknownCharacters), !data.isEmpty else {
                throw AdminError(.badRequest, "pfx must be the PKCS#12 file in base64")
            }
            return .pfx(data: Array(data), password: value.password ?? "", force: value.force ?? false)
        }
        guard let certificate = value.certificate, let key = value.privateKey else {
            throw AdminError(.badRequest, "a PEM upload needs both certificate and private_key")
        }
        return .pem(certificate: certificate, privateKey: key, chain: value.chain, caBundle: value.caBundle, force: value.force ?? false)
    }
}
