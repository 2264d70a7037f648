import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/** A local DNS server that knows a few MX records and says NXDOMAIN for every other name. */
export async function startDnsServer(mx: Record<string, string>): Promise<{ address: string; close(): Promise<void> }> {
  const server: Socket = createSocket('udp4');
  server.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const exchange = mx[question.name];
    const answers: dnsPacket.Answer[] = exchange && question.type === 'MX' ? [{ type: 'MX', name: question.name, ttl: 60, data: { preference: 10, exchange } }] : [];
    const nxdomain = exchange === undefined ? 3 : 0;
    server.send(
      dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED | nxdomain, questions: query.questions, answers }),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
