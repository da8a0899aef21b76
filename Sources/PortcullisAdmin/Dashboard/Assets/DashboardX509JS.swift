/// `x509.js`: reads the public chain (`chain_pem`) in the page: subject, issuer, validity and SHA-256
/// fingerprint of each certificate, from the DER (RFC 5280 §4.1), so the detail page needs no extra
/// API fields. Only the few fields shown are decoded.
enum DashboardX509JS {
    static let text = #"""
// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
// TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer Name,
//                               validity SEQUENCE { notBefore Time, notAfter Time }, subject Name, ... }
const NAMES = {'2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU'};

export function pemBlocks(pem) {
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  const out = [];
  for (let m; (m = re.exec(pem || '')) !== null;) {
    const bin = atob(m[1].replace(/\s+/g, ''));
    out.push({pem: m[0], der: Uint8Array.from(bin, (ch) => ch.charCodeAt(0))});
  }
  return out;
}

// One TLV at `at`: {tag, start (of content), end}.
function tlv(der, at) {
  const tag = der[at];
  let len = der[at + 1], start = at + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + der[start + i];
    start += count;
  }
  if (start + len > der.length) throw new Error('truncated DER');
  return {tag, start, end: start + len};
}

function children(der, node) {
  const out = [];
  for (let at = node.start; at < node.end;) { const child = tlv(der, at); out.push(child); at = child.end; }
  return out;
}

function oid(der, node) {
  const bytes = der.subarray(node.start, node.end);
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) { value = value * 128 + (b & 0x7f); if (!(b & 0x80)) { parts.push(value); value = 0; } }
  return parts.join('.');
}

const text = (der, node) => new TextDecoder().decode(der.subarray(node.start, node.end));

function name(der, node) {
  const parts = [];
  for (const rdn of children(der, node)) for (const pair of children(der, rdn)) {
    const [type, value] = children(der, pair);
    parts.push((NAMES[oid(der, type)] || oid(der, type)) + '=' + text(der, value));
  }
  return parts.join(', ');
}

function time(der, node) {
  let s = text(der, node);
  if (node.tag === 0x17) s = (Number(s.slice(0, 2)) >= 50 ? '19' : '20') + s;
  return s.slice(0, 4) + '-' + s.slice(4, 6) + '-' + s.slice(6, 8) + ' ' + s.slice(8, 10) + ':' + s.slice(10, 12) + ' UTC';
}

async function fingerprint(der) {
  if (!crypto.subtle) return 'unavailable (not a secure context)';
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

// [{subject, issuer, notBefore, notAfter, sha256}] for each certificate in `pem`, leaf first.
export async function describeChain(pem) {
  const out = [];
  for (const block of pemBlocks(pem)) {
    try {
      const der = block.der;
      const tbs = children(der, tlv(der, 0))[0];
      const fields = children(der, tbs);
      const offset = fields[0].tag === 0xa0 ? 1 : 0;
      const validity = children(der, fields[offset + 3]);
      out.push({subject: name(der, fields[offset + 4]), issuer: name(der, fields[offset + 2]),
        notBefore: time(der, validity[0]), notAfter: time(der, validity[1]), sha256: await fingerprint(der)});
    } catch (e) {
      out.push({subject: 'unreadable certificate (' + e.message + ')', issuer: '', notBefore: '', notAfter: '', sha256: ''});
    }
  }
  return out;
}
"""#
}
