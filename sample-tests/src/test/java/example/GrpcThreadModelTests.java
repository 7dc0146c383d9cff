package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread model, done right. A socket belongs to the namespace of the thread that creates it, and a thread
 * to the namespace it was born in. So: start the server and make the calls on node threads (node.run), since
 * Netty creates a channel's socket on the thread that binds or connects; give Netty event loops made by the
 * node's thread factory, and gRPC the node's executor, so that every thread of each side lives in its node;
 * and shut them down in the test, so that no thread outlives its node.
 */
@IsolatedNetwork
@Timeout(60)
class GrpcThreadModelTests {
    @Container
    Node server;
    @Container
    Node client;

    private EventLoopGroup serverLoops;
    private EventLoopGroup clientLoops;
    private Server grpcServer;
    private ManagedChannel channel;

    @Test
    void everyCallComesFromTheClientNodeAndReachesTheServerNode() throws Exception {
// README: grpc
        serverLoops = new NioEventLoopGroup(1, server.threadFactory());
        grpcServer = server.run(() -> NettyServerBuilder.forAddress(new InetSocketAddress(50051))
                .bossEventLoopGroup(serverLoops)
                .workerEventLoopGroup(serverLoops)
                .channelType(NioServerSocketChannel.class)
                .executor(server.executor())
                .addService(ServerInterceptors.intercept(echoService(), new CallerAddress()))
                .build()
                .start());

        clientLoops = new NioEventLoopGroup(1, client.threadFactory());
        channel = NettyChannelBuilder.forAddress(new InetSocketAddress(server.ipv4(), 50051))
                .eventLoopGroup(clientLoops)
                .channelType(NioSocketChannel.class)
                .executor(client.executor())
                .usePlaintext()
                .build();

        for (int i = 0; i < 10; i++) {
            String request = "call " + i;
            String answer = client.run(() -> ClientCalls.blockingUnaryCall(channel, ECHO,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request));
            assertThat(answer).isEqualTo(request + " from " + client.ipv4().getHostAddress());
        }
// README: end
    }

    @AfterEach
    void shutDownWhatTheTestStarted() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (grpcServer != null) {
            grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (EventLoopGroup loops : new EventLoopGroup[] {clientLoops, serverLoops}) {
            if (loops != null) {
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A unary method with plain strings, so the sample needs no generated code. */
    private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("sample.Echo/Say")
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    private static final io.grpc.Context.Key<String> CALLER = io.grpc.Context.key("caller");

    private static ServerServiceDefinition echoService() {
        return ServerServiceDefinition.builder("sample.Echo")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request + " from " + CALLER.get());
                    response.onCompleted();
                }))
                .build();
    }

    /** Puts the caller's address, as the server's socket saw it, where the method can read it. */
    private static final class CallerAddress implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                            ServerCallHandler<Q, A> next) {
            InetSocketAddress remote = (InetSocketAddress) call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            io.grpc.Context context = io.grpc.Context.current().withValue(CALLER, remote.getAddress().getHostAddress());
            return io.grpc.Contexts.interceptCall(context, call, headers, next);
        }
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
