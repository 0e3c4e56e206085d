/**
 * Images outside the store and the registries: OCI image layouts (a directory, or a tar of one),
 * Docker archives ({@code docker save}, old and new), and the tar that is both, as Docker 25+
 * writes it. Read in place where the format allows (a directory; an uncompressed tar, by random
 * access), else spooled once to a temporary directory; written as a stream.
 */
package io.imgtool.archive;
