package workbook.testkit;

/** How the server closed a connection: the close code (e.g. 1001) and the reason it gave. */
public record Close(int code, String reason) {
}
