package io.jwtgate.core.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: Linux's native epoll when it loads, NIO otherwise. Server and client channels of one
 * process use the same transport, so an upstream connection can live on its client connection's event loop.
 *
 * @param name {@code epoll} or {@code nio}, reported at start-up
 */
public record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel) {

    /** Picks epoll where available, unless {@code -Djwtgate.transport=nio}. */
    public static Transport detect() {
        boolean nio = "nio".equals(System.getProperty("jwtgate.transport"));
        if (!nio && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class);
    }

    public boolean isEpoll() {
        return name.equals("epoll");
    }

    /** A group of {@code threads} event loops named after their role. */
    public EventLoopGroup group(int threads, String role) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(role, true), ioHandlers);
    }
}
