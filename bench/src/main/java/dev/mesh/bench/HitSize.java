package dev.mesh.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints the size in bytes of a hit on the topic: the record size Kafka's reference producer sends.
 */
public final class HitSize {

  private HitSize() {}

  public static void main(String[] args) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", args[0]),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(args[1]).stream()
              .map(p -> new TopicPartition(args[1], p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      for (int i = 0; i < 50; i++) {
        for (ConsumerRecord<String, String> hit : consumer.poll(Duration.ofMillis(200))) {
          System.out.println(hit.serializedValueSize());
          return;
        }
      }
      throw new IllegalStateException("no hit on " + args[1]);
    }
  }
}
