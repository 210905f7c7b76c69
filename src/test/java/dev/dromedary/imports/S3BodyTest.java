package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

class S3BodyTest {

    @Test
    void aBodyThatEndsBeforeItsContentLengthFailsNamingHowMuchCame() {
        InputStream body = S3Body.checked(response(10, "row 1\nro"));

        assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class)
                .hasMessage("S3 closed the connection after 8 of the 10 bytes it was sending (the server stopped or the network failed)");
    }

    @Test
    void aWholeBodyIsReadAsItCameByteByByteOrSkipped() throws IOException {
        assertThat(S3Body.checked(response(12, "row 1\nrow 2\n")).readAllBytes()).hasSize(12);

        InputStream body = S3Body.checked(response(12, "row 1\nrow 2\n"));
        assertThat(body.skip(6)).isEqualTo(6);
        assertThat(body.read()).isEqualTo('r');
        assertThat(body.readAllBytes()).hasSize(5);
        assertThat(body.read()).isEqualTo(-1);
    }

    @Test
    void aStreamThatIsNoS3ResponseIsLeftAsItIs() {
        InputStream plain = new ByteArrayInputStream(new byte[3]);

        assertThat(S3Body.checked(plain)).isSameAs(plain);
    }

    private static ResponseInputStream<GetObjectResponse> response(long contentLength, String bytes) {
        return new ResponseInputStream<>(GetObjectResponse.builder().contentLength(contentLength).build(),
                AbortableInputStream.create(new ByteArrayInputStream(bytes.getBytes())));
    }
}
