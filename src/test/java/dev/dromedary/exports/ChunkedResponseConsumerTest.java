package dev.dromedary.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.http.ContentTooLongException;
import org.apache.http.HttpResponse;
import org.apache.http.HttpVersion;
import org.apache.http.entity.BasicHttpEntity;
import org.apache.http.message.BasicHttpResponse;
import org.apache.http.nio.ContentDecoder;
import org.apache.http.nio.protocol.HttpAsyncResponseConsumer;
import org.apache.http.protocol.BasicHttpContext;
import org.junit.jupiter.api.Test;

class ChunkedResponseConsumerTest {

    @Test
    void aChunkedAnswerOfSeveralChunksArrivingInOddPiecesIsReadWholeWithItsContentType() throws Exception {
        byte[] answer = new byte[3 * 64 * 1024 + 123];
        new Random(7).nextBytes(answer);
        HttpAsyncResponseConsumer<HttpResponse> consumer = ChunkedResponseConsumer.upTo(1 << 20).createHttpAsyncResponseConsumer();

        consume(consumer, answer, 7_777);

        HttpResponse response = consumer.getResult();
        assertThat(response.getEntity().getContent().readAllBytes()).isEqualTo(answer);
        assertThat(response.getEntity().getContentLength()).isEqualTo(answer.length);
        assertThat(response.getEntity().getContentType().getValue()).isEqualTo("application/json");
    }

    @Test
    void anAnswerExactlyOneChunkLongAndAnEmptyOneAreReadAsTheyAre() throws Exception {
        for (int length : new int[] {64 * 1024, 0}) {
            byte[] answer = new byte[length];
            new Random(length).nextBytes(answer);
            HttpAsyncResponseConsumer<HttpResponse> consumer = ChunkedResponseConsumer.upTo(1 << 20).createHttpAsyncResponseConsumer();

            consume(consumer, answer, 64 * 1024);

            assertThat(consumer.getResult().getEntity().getContent().readAllBytes()).isEqualTo(answer);
        }
    }

    @Test
    void anAnswerOverTheLimitFailsAsItArrivesNotAfterItWasHeld() throws Exception {
        HttpAsyncResponseConsumer<HttpResponse> consumer = ChunkedResponseConsumer.upTo(100_000).createHttpAsyncResponseConsumer();

        assertThatThrownBy(() -> consume(consumer, new byte[1_000_000], 10_000))
                .isInstanceOf(ContentTooLongException.class).hasMessageContaining("100000");
    }

    /** Gives the consumer the answer as a chunked (unknown length) HTTP entity, at most {@code piece} bytes per read. */
    private static void consume(HttpAsyncResponseConsumer<HttpResponse> consumer, byte[] answer, int piece) throws Exception {
        BasicHttpResponse response = new BasicHttpResponse(HttpVersion.HTTP_1_1, 200, "OK");
        BasicHttpEntity entity = new BasicHttpEntity();
        entity.setContentLength(-1);
        entity.setContentType("application/json");
        response.setEntity(entity);
        consumer.responseReceived(response);
        Pieces decoder = new Pieces(answer, piece);
        while (!decoder.isCompleted()) {
            decoder.arrive();
            consumer.consumeContent(decoder, null);
        }
        consumer.responseCompleted(new BasicHttpContext());
    }

    /** A decoder that has {@code piece} bytes more to give each time more arrive, then says the end. */
    private static final class Pieces implements ContentDecoder {

        private final byte[] answer;
        private final int piece;
        private int given;
        private int available;

        Pieces(byte[] answer, int piece) {
            this.answer = answer;
            this.piece = piece;
        }

        void arrive() {
            available = Math.min(piece, answer.length - given);
        }

        @Override
        public int read(ByteBuffer into) {
            if (given == answer.length) {
                return -1;
            }
            int count = Math.min(available, into.remaining());
            into.put(answer, given, count);
            given += count;
            available -= count;
            return count;
        }

        @Override
        public boolean isCompleted() {
            return given == answer.length && available == 0;
        }
    }
}
