package io.jwtgate.testing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses how {@link TestBackend} answers a request. Called on an event loop once the whole request has arrived;
 * it must not block (use {@link Reply#delay} to answer late).
 */
@FunctionalInterface
public interface Behaviour {

    /** Returns the reply to {@code request}. */
    Reply reply(RecordedRequest request);

    /** Answers every request with {@link Reply#echo()}; the default. */
    static Behaviour echo() {
        return request -> Reply.echo();
    }

    /** Answers every request with {@code reply}. */
    static Behaviour always(Reply reply) {
        requireNonNull(reply, "reply");
        return request -> reply;
    }

    /** Answers the n-th request with {@code replies[n]}, and every request after the last with the last reply. */
    static Behaviour sequence(Reply... replies) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("replies: none (expected: at least one)");
        }
        List<Reply> list = List.of(replies);
        AtomicInteger next = new AtomicInteger();
        return request -> list.get(Math.min(next.getAndIncrement(), list.size() - 1));
    }
}
