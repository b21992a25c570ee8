/**
 * Emulated RUBiS clients: {@link io.ncp.rubis.workload.TransitionTable} walks the bidding mix (about 15 %
 * read-write interactions), {@link io.ncp.rubis.workload.ReadInteractions} and
 * {@link io.ncp.rubis.workload.WriteInteractions} issue each interaction's SQL (text protocol, so every
 * replica receives plain statements), {@link io.ncp.rubis.workload.EmulatedClient} is one client thread
 * with its own connection and its own random stream. Writes only reference the preloaded users and items
 * and use commutative updates ({@code GREATEST}, {@code +=}), so replicas that apply concurrent sessions in
 * another order still converge, except for the ids and timestamps {@link io.ncp.rubis.schema.TableSpec}
 * marks volatile.
 */
package io.ncp.rubis.workload;
