package com.zed.cli;

import com.zed.model.Deployment;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Compile and check a deploy script; touches no host.")
final class ValidateCommand extends ScriptCommand {

    @Override
    int execute() {
        Deployment d = deployment();
        if (json) {
            var m = new LinkedHashMap<String, Object>();
            m.put("script", script.toString());
            m.put("valid", true);
            m.put("deploy", d.name());
            m.put("pool", d.pool().value());
            m.put("datasets", d.datasets().size());
            m.put("apps", d.apps().size());
            printJson(m);
        } else {
            out().printf("%s: valid — deploy '%s' on pool '%s': %d dataset(s), %d app(s)%n", script, d.name(), d.pool(),
                    d.datasets().size(), d.apps().size());
        }
        return Main.OK;
    }
}
