/* The only file that includes the OpenSSL headers for the shims; see include/cshims.h. */
#define _GNU_SOURCE /* renameat2 */
#include <stdio.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <openssl/bio.h>
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
void pc_OPENSSL_free(void *p) { OPENSSL_free(p); }
int pc_rename_exchange(const char *a, const char *b) { return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE); }
void pc_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
