/**
 * The RUBiS schema ({@link io.ncp.rubis.schema.Schema}: tables, and per table the columns that
 * concurrency legitimately makes differ between replicas) and the deterministic initial data set
 * ({@link io.ncp.rubis.schema.DataGenerator}): every database loaded with the same seed and scale holds
 * identical rows with identical ids.
 */
package io.ncp.rubis.schema;
