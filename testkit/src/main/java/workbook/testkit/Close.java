package workbook.testkit;

/** How the server closed a connection: the close code (e.g. 1001) and the reason it gave. */
public record Close(int code, String reason) {

    /** E.g. "1011 (server error: an endpoint threw)", "1009 (message too big) Binary message too large". */
    @Override
    public String toString() {
        String meaning = switch (code) {
            case 1000 -> "normal closure";
            case 1001 -> "going away";
            case 1006 -> "closed abnormally, without a close frame";
            case 1008 -> "policy violation";
            case 1009 -> "message too big";
            case 1011 -> "server error: an endpoint threw";
            case 1012 -> "service restart";
            default -> null;
        };
        return code + (meaning == null ? "" : " (" + meaning + ")") + (reason == null || reason.isBlank() ? "" : " " + reason);
    }
}
