/// The methods each route answers, so any other method gets 405 with `Allow` (before authentication:
/// the list is public, and it is the same for everyone).
enum AdminRouteMethods {
    /// The allowed methods of `segments`, or nil for a path that is no route (404 later).
    static func allowed(_ segments: [String]) -> [String]? {
        switch segments.count {
        case 0: return ["GET"]
        case 1:
            switch segments[0] {
            case "healthz", "metrics": return ["GET"]
            case "login", "logout": return ["POST"]
            default: return nil
            }
        default: break
        }
        if segments[0] == "assets" { return ["GET"] }
        guard segments.count >= 3, segments[0] == "api", segments[1] == "v1" else { return nil }
        let rest = Array(segments.dropFirst(2))
        switch (rest.count, rest[0]) {
        case (1, "certificates"), (1, "sites"), (1, "policies"), (1, "events"), (1, "openapi.json"), (1, "session"):
            return ["GET"]
        case (1, "reload"): return ["POST"]
        case (2, "certificates"): return ["GET", "PUT", "DELETE"]
        case (2, "policies"): return ["GET"]
        case (3, "certificates"):
            switch rest[2] {
            case "chain.pem": return ["GET"]
            case "rollback", "renew": return ["POST"]
            default: return nil
            }
        default: return nil
        }
    }
}
