/* The only file that includes the OpenSSL headers for the shims; see include/cshims.h. */
#define _GNU_SOURCE /* renameat2 */
#include <stdio.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/x509.h>
#include <string.h>
#include "cshims.h"

_Static_assert(PC_SSL_OP_NO_COMPRESSION == SSL_OP_NO_COMPRESSION, "SSL_OP_NO_COMPRESSION");
_Static_assert(PC_SSL_OP_IGNORE_UNEXPECTED_EOF == SSL_OP_IGNORE_UNEXPECTED_EOF, "SSL_OP_IGNORE_UNEXPECTED_EOF");
_Static_assert(PC_SSL_OP_NO_TICKET == SSL_OP_NO_TICKET, "SSL_OP_NO_TICKET");
_Static_assert(PC_SSL_OP_CIPHER_SERVER_PREFERENCE == SSL_OP_CIPHER_SERVER_PREFERENCE, "SERVER_PREFERENCE");
_Static_assert(PC_SSL_OP_NO_TLSv1_3 == SSL_OP_NO_TLSv1_3, "SSL_OP_NO_TLSv1_3");
_Static_assert(PC_SSL_OP_NO_RENEGOTIATION == SSL_OP_NO_RENEGOTIATION, "SSL_OP_NO_RENEGOTIATION");
_Static_assert(PC_SSL_OP_NO_ANTI_REPLAY == SSL_OP_NO_ANTI_REPLAY, "SSL_OP_NO_ANTI_REPLAY");

int pc_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_min_proto_version(ctx, v); }
int pc_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_max_proto_version(ctx, v); }
int pc_SSL_set_min_proto_version(SSL *s, int v) { return (int)SSL_set_min_proto_version(s, v); }
int pc_SSL_set_max_proto_version(SSL *s, int v) { return (int)SSL_set_max_proto_version(s, v); }
long pc_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long pc_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_session_cache_mode(ctx, mode); }
int pc_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
int pc_SSL_set1_groups_list(SSL *s, const char *list) { return (int)SSL_set1_groups_list(s, list); }
int pc_SSL_set_tlsext_host_name(SSL *s, const char *name) { return (int)SSL_set_tlsext_host_name(s, name); }
int pc_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *x509) { return (int)SSL_CTX_add1_chain_cert(ctx, x509); }
long pc_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
int pc_sk_X509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
X509 *pc_sk_X509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
STACK_OF(X509) *pc_sk_X509_new_null(void) { return sk_X509_new_null(); }
int pc_sk_X509_push(STACK_OF(X509) *sk, X509 *x509) { return sk_X509_push(sk, x509); }
void pc_sk_X509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }
void pc_OPENSSL_free(void *p) { OPENSSL_free(p); }
int pc_rename_exchange(const char *a, const char *b) { return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE); }
void pc_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

int pc_SSL_CTX_set1_sigalgs_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_sigalgs_list(ctx, list); }
long pc_SSL_CTX_set_dh_auto(SSL_CTX *ctx, long onoff) { return SSL_CTX_set_dh_auto(ctx, onoff); }

int pc_SSL_CTX_set_ticket_key_cb(SSL_CTX *ctx, pc_ticket_key_cb cb) {
    return SSL_CTX_set_tlsext_ticket_key_evp_cb(
        ctx, (int (*)(SSL *, unsigned char *, unsigned char *, EVP_CIPHER_CTX *, EVP_MAC_CTX *, int))cb);
}

int pc_ticket_init_contexts(void *cipher_ctx, void *mac_ctx, const unsigned char *aes_key,
                            const unsigned char *hmac_key, const unsigned char *iv, int enc) {
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)hmac_key, 32);
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    if (EVP_MAC_CTX_set_params((EVP_MAC_CTX *)mac_ctx, params) != 1) return 0;
    if (enc)
        return EVP_EncryptInit_ex((EVP_CIPHER_CTX *)cipher_ctx, EVP_aes_256_cbc(), NULL, aes_key, iv);
    return EVP_DecryptInit_ex((EVP_CIPHER_CTX *)cipher_ctx, EVP_aes_256_cbc(), NULL, aes_key, iv);
}

int pc_SSL_verified_peer_subject(const SSL *s, char *buf, int size) {
    X509 *peer = SSL_get0_peer_certificate(s); /* get0: not freed */
    if (peer == NULL || SSL_get_verify_result(s) != X509_V_OK || size <= 1) return 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int length = 0;
    if (X509_NAME_print_ex(bio, X509_get_subject_name(peer), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *data = NULL;
        long available = BIO_get_mem_data(bio, &data);
        length = available < size - 1 ? (int)available : size - 1;
        if (length > 0) memcpy(buf, data, (size_t)length);
    }
    BIO_free(bio);
    /* A header value must not carry CR/LF or other control bytes. */
    for (int i = 0; i < length; i++) if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f) buf[i] = '?';
    return length;
}
