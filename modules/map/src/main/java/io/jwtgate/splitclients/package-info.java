/**
 * {@code split_clients}: a variable that splits requests into shares by a hash of a value, for A/B tests (nginx's
 * {@code ngx_http_split_clients_module}).
 */
package io.jwtgate.splitclients;
